using Microsoft.EntityFrameworkCore;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.BuildingBlocks.Application.Security;
using Retail.Modules.Payments.Application.Abstractions;

namespace Retail.Modules.Payments.Application.StoreCredit.GetMyStoreCredit;

/// <summary>The signed-in customer's own balance and latest ledger lines (nobody can ask for someone else's here).</summary>
[Authenticated]
public sealed record GetMyStoreCreditQuery : IQuery<MyStoreCreditDto>;

public sealed record MyStoreCreditDto(decimal Balance, IReadOnlyList<StoreCreditEntryDto> RecentEntries);

public sealed record StoreCreditEntryDto(decimal Amount, decimal BalanceAfter, string Reason, string Reference, DateTimeOffset OccurredAt);

public sealed class GetMyStoreCreditQueryHandler(IPaymentsDbContext db, StoreCreditLedger ledger, ICurrentUser user) : IQueryHandler<GetMyStoreCreditQuery, MyStoreCreditDto>
{
    public const int RecentEntries = 20;

    public async ValueTask<Result<MyStoreCreditDto>> Handle(GetMyStoreCreditQuery query, CancellationToken cancellationToken)
    {
        if (user.UserId is not { } customerId)
        {
            return Error.Unauthorized();
        }

        var balance = await ledger.BalanceOfAsync(customerId, cancellationToken);
        var entries = await db.StoreCreditEntries.AsNoTracking()
            .Where(e => e.CustomerId == customerId)
            .OrderByDescending(e => e.OccurredAt)
            .Take(RecentEntries)
            .Select(e => new StoreCreditEntryDto(e.Amount, e.BalanceAfter, e.Reason, e.Reference, e.OccurredAt))
            .ToListAsync(cancellationToken);
        return new MyStoreCreditDto(balance, entries);
    }
}
