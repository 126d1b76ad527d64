using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Retail.Modules.Partners.Application.Abstractions;
using Retail.Modules.Partners.Application.Webhooks;
using Retail.Modules.Partners.Domain.Webhooks;

namespace Retail.Modules.Partners.IntegrationTests;

/// <summary>The module with <c>Partners:CallbackRetries = 0</c> (one attempt, no retry); callbacks to loopback allowed.</summary>
public sealed class NoCallbackRetriesFixture : PartnersFixture
{
    protected override IDictionary<string, string?> Settings()
    {
        var settings = base.Settings();
        settings["Partners:CallbackRetries"] = "0";
        settings["Partners:AllowPrivateCallbackUrls"] = "true";
        return settings;
    }
}

/// <summary>
/// The options validator accepts 0 callback retries, so the <c>partners-callbacks</c> pipeline must run with it: Polly's
/// retry strategy refuses 0 attempts, and every outcome callback used to throw its ValidationException instead.
/// </summary>
public sealed class CallbackRetriesTests(NoCallbackRetriesFixture fixture) : IClassFixture<NoCallbackRetriesFixture>
{
    [Fact]
    public async Task With_no_retries_a_failing_outcome_callback_is_attempted_exactly_once_and_that_attempt_is_recorded()
    {
        // 500 is an answer the pipeline retries when retries are configured: exactly one connection proves none was made.
        using var server = new LoopbackServer("down", status: 500);
        var (partner, _) = await fixture.NewPartnerAsync(callbackUrl: $"http://127.0.0.1:{server.Port}/outcome");
        await using var scope = fixture.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IPartnersDbContext>();
        var delivery = WebhookDelivery.Receive(partner.Id, "no-retry-1", "ANY-1", 1, 1, new string('0', 64), fixture.Time.GetUtcNow());
        delivery.Applied(1, fixture.Time.GetUtcNow());
        db.WebhookDeliveries.Add(delivery);
        await db.SaveChangesAsync();

        var sent = await scope.ServiceProvider.GetRequiredService<StockWebhookProcessor>().SendCallbackAsync(delivery, CancellationToken.None);

        sent.ShouldBeFalse();
        server.Connections.ShouldBe(1);
        var attempt = await db.CallbackAttempts.AsNoTracking().SingleAsync(a => a.DeliveryId == delivery.Id);
        (attempt.Attempt, attempt.StatusCode, attempt.Error).ShouldBe((1, (int?)500, "HTTP 500"));
    }

    [Fact]
    public async Task With_no_retries_a_successful_outcome_callback_is_sent_once_and_recorded()
    {
        using var server = new LoopbackServer("ok");
        var (partner, _) = await fixture.NewPartnerAsync(callbackUrl: $"http://127.0.0.1:{server.Port}/outcome");
        await using var scope = fixture.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IPartnersDbContext>();
        var delivery = WebhookDelivery.Receive(partner.Id, "no-retry-2", "ANY-1", 1, 1, new string('0', 64), fixture.Time.GetUtcNow());
        delivery.Applied(1, fixture.Time.GetUtcNow());
        db.WebhookDeliveries.Add(delivery);
        await db.SaveChangesAsync();

        var sent = await scope.ServiceProvider.GetRequiredService<StockWebhookProcessor>().SendCallbackAsync(delivery, CancellationToken.None);

        sent.ShouldBeTrue();
        server.Connections.ShouldBe(1);
        var attempt = await db.CallbackAttempts.AsNoTracking().SingleAsync(a => a.DeliveryId == delivery.Id);
        (attempt.Attempt, attempt.StatusCode, attempt.Error).ShouldBe((1, (int?)200, (string?)null));
    }
}
