using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Retail.Modules.Partners.Application.Abstractions;
using Retail.Modules.Partners.Application.Webhooks;
using Retail.Modules.Partners.Domain.Webhooks;

namespace Retail.Modules.Partners.IntegrationTests;

/// <summary>
/// How a batch of received stock webhooks is read, and what other modules hear of processed stock webhooks: one <c>partners.webhooks-processed.v1</c> per partner per processed
/// batch, in the same transaction as the outcomes, counting each delivery once — not one event per delivery.
/// </summary>
public sealed class WebhookEventsIntegrationTests(PartnersFixture fixture) : IClassFixture<PartnersFixture>
{
    [Fact]
    public async Task A_processed_batch_is_one_summary_event_per_partner()
    {
        var first = (await fixture.NewPartnerAsync()).Partner.Id;
        var second = (await fixture.NewPartnerAsync()).Partner.Id;
        // No such products in Catalog: each of these deliveries fails, which is an outcome like any other.
        var ids = await ReceiveAsync((first, "NOPE-1", 1), (first, "NOPE-2", 1), (first, "NOPE-3", 1), (second, "NOPE-1", 1), (second, "NOPE-2", 1));

        await using (var scope = fixture.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<StockWebhookProcessor>().ProcessAsync(ids, CancellationToken.None);
        }

        var events = Events("partners.webhooks-processed.v1", first, second);
        events.Count.ShouldBe(2);
        var ofFirst = events.Single(e => e.GetProperty("partnerId").GetGuid() == first);
        ofFirst.GetProperty("failed").GetInt32().ShouldBe(3);
        ofFirst.GetProperty("applied").GetInt32().ShouldBe(0);
        ofFirst.GetProperty("ignoredOutOfOrder").GetInt32().ShouldBe(0);
        var ofSecond = events.Single(e => e.GetProperty("partnerId").GetGuid() == second);
        ofSecond.GetProperty("failed").GetInt32().ShouldBe(2);
        Events("partners.webhook-processed.v1", first, second).ShouldBeEmpty("no event per delivery any more");
    }

    [Fact]
    public async Task A_batch_is_read_by_delivery_id_and_skips_the_deliveries_already_processed()
    {
        var partner = (await fixture.NewPartnerAsync()).Partner.Id;
        var ids = await ReceiveAsync([.. Enumerable.Range(1, 10).Select(i => (partner, $"NONE-{i}", 1L))]);
        await using (var scope = fixture.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<StockWebhookProcessor>().ProcessAsync(ids[..2], CancellationToken.None);
        }

        var plans = fixture.QueryPlans.Record();
        await using (var scope = fixture.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<StockWebhookProcessor>().ProcessAsync(ids, CancellationToken.None);
        }

        // Through the primary key: "Id IN (...) AND Status = 0" had SQLite read every unprocessed delivery (the whole
        // backlog) through the Status index for each batch.
        var read = plans.Where(p => p.Sql.Contains("FROM \"partners_WebhookDeliveries\"")).ShouldHaveSingleItem();
        read.Steps.ShouldContain(s => s.Contains("USING INDEX sqlite_autoindex_partners_WebhookDeliveries_1 (Id=?)"));
        read.Steps.ShouldNotContain(s => s.Contains("Status"));
        Events("partners.webhooks-processed.v1", partner).Select(e => e.GetProperty("failed").GetInt32()).ShouldBe([2, 8], ignoreOrder: true);
    }

    private async Task<List<Guid>> ReceiveAsync(params (Guid PartnerId, string Sku, long Sequence)[] deliveries)
    {
        await using var scope = fixture.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IPartnersDbContext>();
        var received = deliveries
            .Select(d => WebhookDelivery.Receive(d.PartnerId, Guid.NewGuid().ToString("N"), d.Sku, 5, d.Sequence, "hash", fixture.Time.GetUtcNow()))
            .ToList();
        db.WebhookDeliveries.AddRange(received);
        await db.SaveChangesAsync();
        return [.. received.Select(d => d.Id)];
    }

    private List<JsonElement> Events(string type, params Guid[] partners)
    {
        using var connection = new SqliteConnection($"Data Source={fixture.DatabasePath}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT Payload FROM partners_OutboxMessages WHERE Type = $t";
        command.Parameters.AddWithValue("$t", type);
        using var reader = command.ExecuteReader();
        var events = new List<JsonElement>();
        while (reader.Read())
        {
            using var payload = JsonDocument.Parse(reader.GetString(0));
            if (payload.RootElement.TryGetProperty("partnerId", out var partnerId) && partners.Contains(partnerId.GetGuid()))
            {
                events.Add(payload.RootElement.Clone());
            }
        }

        return events;
    }
}
