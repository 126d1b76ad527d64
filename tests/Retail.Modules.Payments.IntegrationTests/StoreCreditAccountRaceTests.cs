using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Retail.Modules.Payments.Application.StoreCredit.IssueStoreCredit;
using Retail.Modules.Payments.Infrastructure.Persistence;
using Retail.Modules.Payments.IntegrationEvents;
using Retail.Testing;

namespace Retail.Modules.Payments.IntegrationTests;

/// <summary>A customer's first store credit, issued twice at once: one account, both credits on it, none lost, no 500.</summary>
public sealed class StoreCreditAccountRaceTests(PaymentsDatabase database) : IClassFixture<PaymentsDatabase>
{
    [Fact]
    public async Task Two_first_issues_for_one_customer_at_once_both_land_on_one_account()
    {
        var race = new AfterFirstReadOf("payments_StoreCreditAccounts");
        await using var host = await PaymentsTestHost.StartAsync(database, services => services.AddSingleton<IInterceptor>(race));
        var customer = "customer-" + Guid.NewGuid().ToString("N");
        race.Competitor = async () =>
            (await host.IssueStoreCreditAsync(new IssueStoreCredit(customer, 30m, "goodwill", "ticket-a", PaymentsTestHost.NewKey()))).IsSuccess.ShouldBeTrue();

        // The second issue's own scope and DbContext on the same SQLite file, saved as the unit of work would. It runs
        // outside a transaction because SQLite's single write lock would otherwise order the two one after the other
        // (on SQL Server both transactions can be past the read at once).
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaymentsDbContext>();
        race.Armed = db;
        var second = await ActivatorUtilities.CreateInstance<IssueStoreCreditHandler>(scope.ServiceProvider)
            .Handle(new IssueStoreCredit(customer, 20m, "goodwill", "ticket-b", PaymentsTestHost.NewKey()), CancellationToken.None);
        await db.SaveChangesAsync();

        race.Fired.ShouldBe(1);
        second.IsSuccess.ShouldBeTrue();
        second.Value.Balance.ShouldBe(50m);
        var (accounts, entries) = await host.QueryAsync(async q => (
            await q.StoreCreditAccounts.AsNoTracking().Where(a => a.CustomerId == customer).ToListAsync(),
            await q.StoreCreditEntries.AsNoTracking().Where(e => e.CustomerId == customer).OrderBy(e => e.BalanceAfter).ToListAsync()));
        accounts.Single().Balance.ShouldBe(50m);
        entries.Select(e => (e.Amount, e.BalanceAfter)).ShouldBe([(30m, 30m), (20m, 50m)]);
        (await host.QueryAsync(q => q.OutboxMessages.CountAsync(m => m.Type == "payments.store-credit-issued.v1" && m.Payload.Contains(customer)))).ShouldBe(2);
    }
}
