using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Retail.Modules.Payments.IntegrationEvents;

namespace Retail.Modules.Payments.IntegrationTests;

/// <summary>Breaker state and transitions are exported on the Retail.Payments meter (SPEC A2, O1).</summary>
public sealed class PaymentsMetricsTests(PaymentsDatabase database) : IClassFixture<PaymentsDatabase>
{
    [Fact]
    public async Task The_breaker_state_gauge_transition_counter_and_MTTR_gauge_follow_an_outage()
    {
        await using var host = await PaymentsTestHost.StartAsync(database);
        _ = host.Circuit.Snapshot(); // what PaymentsTelemetryStartup does when a real host starts: the gauges exist from then on
        // Same factory, same name: the very meter instance the module writes to (not another test's).
        var meter = host.Services.GetRequiredService<IMeterFactory>().Create("Retail.Payments");
        var gauges = new Dictionary<string, double>();
        var transitions = new List<string>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter == meter)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => gauges[instrument.Name] = value);
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => gauges[instrument.Name] = value);
        listener.SetMeasurementEventCallback<long>((instrument, _, tags, _) =>
        {
            if (instrument.Name == "retail.payments.circuit_transitions")
            {
                foreach (var tag in tags)
                {
                    transitions.Add((string)tag.Value!);
                }
            }
        });
        listener.Start();

        listener.RecordObservableInstruments();
        gauges["retail.payments.circuit_state"].ShouldBe(0);

        host.SetGateway(s => s with { Outage = true });
        await host.ChargeAsync(PaymentsTestHost.CardCharge());
        listener.RecordObservableInstruments();
        gauges["retail.payments.circuit_state"].ShouldBe(2);

        host.SetGateway(s => s with { Outage = false });
        host.Time.Advance(TimeSpan.FromSeconds(45));
        (await host.ChargeAsync(PaymentsTestHost.CardCharge())).Value.Outcome.ShouldBe(PaymentOutcome.Succeeded);
        listener.RecordObservableInstruments();

        gauges["retail.payments.circuit_state"].ShouldBe(0);
        gauges["retail.payments.mttr_seconds"].ShouldBe(45d);
        transitions.ShouldBe(["open", "half_open", "closed"]);
    }
}
