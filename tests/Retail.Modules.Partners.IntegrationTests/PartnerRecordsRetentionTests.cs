using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Retail.Modules.Partners.Application.Abstractions;
using Retail.Modules.Partners.Application.Retention;
using Retail.Modules.Partners.Domain.Partners;
using Retail.Modules.Partners.Domain.Webhooks;

namespace Retail.Modules.Partners.IntegrationTests;

/// <summary>
/// "Processed webhook deliveries are kept 30 days, authentication audit rows 90, then deleted; a delivery not yet
/// processed stays." Every check counts what the partner's rows in the database still are.
/// </summary>
public sealed class PartnerRecordsRetentionTests(PartnersFixture fixture) : IClassFixture<PartnersFixture>
{
    [Fact]
    public async Task Processed_deliveries_and_audit_rows_older_than_their_retention_are_deleted_and_nothing_else()
    {
        var partner = (await fixture.NewPartnerAsync()).Partner.Id;
        var start = fixture.Time.GetUtcNow();
        var (applied, failed, pending) = (Delivery(partner, start), Delivery(partner, start), Delivery(partner, start));
        applied.Applied(5, start);
        failed.Failed("no such product", start);
        await WriteAsync(db =>
        {
            db.WebhookDeliveries.AddRange(applied, failed, pending);
            db.CallbackAttempts.Add(CallbackAttempt.Record(applied.Id, 1, start, 200, 12, null));
            db.AuthAudit.Add(ApiKeyAuditEntry.Record(start, partner, "rk_live_x", "127.0.0.1", "/api/partners/webhooks/stock", AuthOutcome.Success));
        });

        fixture.Time.Advance(TimeSpan.FromDays(30));
        (await RunAsync()).ShouldBe(new PartnerRecordsRetentionResult(0, 0, 0), "exactly 30 days old is not older than the retention");
        fixture.Time.Advance(TimeSpan.FromTicks(1));
        var plans = fixture.QueryPlans.Record();
        var afterMonth = await RunAsync();
        var deliveryReads = plans.Where(p => p.Sql.Contains("FROM \"partners_WebhookDeliveries\"")).ToList();
        var (deliveries, attempts) = await ReadAsync(async db => (
            await db.WebhookDeliveries.Where(d => d.PartnerId == partner).Select(d => d.Id).ToListAsync(),
            await db.CallbackAttempts.CountAsync(a => a.DeliveryId == applied.Id)));

        afterMonth.ShouldBe(new PartnerRecordsRetentionResult(Deliveries: 2, CallbackAttempts: 1, AuditEntries: 0));
        deliveryReads.ShouldNotBeEmpty();
        deliveryReads.ShouldAllBe(p => p.Steps.Any(s => s.Contains("USING INDEX IX_partners_WebhookDeliveries_PartnerId_ReceivedAt (PartnerId=? AND ReceivedAt<?)")));
        deliveries.ShouldBe([pending.Id]);
        attempts.ShouldBe(0);
        (await ReadAsync(db => db.AuthAudit.CountAsync(a => a.PartnerId == partner))).ShouldBe(1);

        fixture.Time.Advance(TimeSpan.FromDays(60));
        (await RunAsync()).ShouldBe(new PartnerRecordsRetentionResult(0, 0, 1));
        (await ReadAsync(db => db.AuthAudit.CountAsync(a => a.PartnerId == partner))).ShouldBe(0);
        (await ReadAsync(db => db.WebhookDeliveries.CountAsync(d => d.PartnerId == partner))).ShouldBe(1, "a delivery not processed yet is never deleted");
    }

    private static WebhookDelivery Delivery(Guid partner, DateTimeOffset at) =>
        WebhookDelivery.Receive(partner, Guid.NewGuid().ToString("N"), "RET-1", 5, 1, "hash", at);

    private async Task<PartnerRecordsRetentionResult> RunAsync()
    {
        await using var scope = fixture.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PartnerRecordsRetention>().RunAsync(CancellationToken.None);
    }

    private async Task WriteAsync(Action<IPartnersDbContext> add)
    {
        await using var scope = fixture.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IPartnersDbContext>();
        add(db);
        await db.SaveChangesAsync();
    }

    private async Task<T> ReadAsync<T>(Func<IPartnersDbContext, Task<T>> read)
    {
        await using var scope = fixture.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<IPartnersDbContext>());
    }
}
