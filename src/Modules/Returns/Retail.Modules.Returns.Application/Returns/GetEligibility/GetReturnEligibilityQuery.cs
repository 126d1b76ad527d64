using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.BuildingBlocks.Application.Security;
using Retail.Modules.Returns.Application.Abstractions;
using Retail.Modules.Returns.Domain.Purchases;
using Retail.Modules.Returns.Domain.Returns;

namespace Retail.Modules.Returns.Application.Returns.GetEligibility;

/// <summary>Customer: line-by-line eligibility of one of their delivered orders, explained.</summary>
[Authenticated]
public sealed record GetReturnEligibilityQuery(Guid OrderId) : IQuery<ReturnEligibilityDto>;

/// <summary>Customer: their delivered orders with something still returnable.</summary>
[Authenticated]
public sealed record GetMyReturnableOrdersQuery : IQuery<IReadOnlyList<ReturnableOrderDto>>;

public sealed class GetReturnEligibilityQueryHandler(IReturnsDbContext db, ICurrentUser user, IOptions<ReturnsOptions> options, TimeProvider time) :
    IQueryHandler<GetReturnEligibilityQuery, ReturnEligibilityDto>,
    IQueryHandler<GetMyReturnableOrdersQuery, IReadOnlyList<ReturnableOrderDto>>
{
    public async ValueTask<Result<ReturnEligibilityDto>> Handle(GetReturnEligibilityQuery query, CancellationToken cancellationToken)
    {
        var userId = user.UserId ?? "";
        var order = await db.PurchasedOrders.AsNoTracking().Include(o => o.Lines)
            .SingleOrDefaultAsync(o => o.Id == query.OrderId && o.CustomerId == userId, cancellationToken);
        if (order is null || order.Lines.Count == 0)
        {
            return ReturnErrors.OrderNotFound();
        }

        return Evaluate(order, options.Value, time.GetUtcNow());
    }

    public async ValueTask<Result<IReadOnlyList<ReturnableOrderDto>>> Handle(GetMyReturnableOrdersQuery query, CancellationToken cancellationToken)
    {
        var userId = user.UserId ?? "";
        var orders = await db.PurchasedOrders.AsNoTracking().Include(o => o.Lines)
            .Where(o => o.CustomerId == userId && o.DeliveredAt != null)
            .ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        return orders
            .Select(o => Evaluate(o, options.Value, now))
            .Where(e => e.Eligible)
            .OrderByDescending(e => e.DeliveredAt)
            .Select(e => new ReturnableOrderDto(e.OrderId, e.OrderNumber, e.DeliveredAt, e.WindowClosesAt, e.Lines.Sum(l => l.Returnable)))
            .ToList();
    }

    public static ReturnEligibilityDto Evaluate(PurchasedOrder order, ReturnsOptions options, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(options);
        var problem = ReturnEligibility.OrderProblem(order.DeliveredAt, now, options.ReturnWindow);
        var lines = order.Lines
            .OrderBy(l => l.Sku, StringComparer.Ordinal)
            .Select(l => (Line: l, Check: ReturnEligibility.ForLine(new PurchasedLineView(l.Sku, l.Name, l.UnitPrice, l.Quantity, l.Taken, options.IsReturnable(l.Sku)), problem)))
            .Select(x => new EligibleLineDto(x.Line.Sku, x.Line.Name, x.Line.UnitPrice, x.Line.Quantity, x.Line.Taken, x.Check.Returnable, x.Check.Eligible, x.Check.Explanation))
            .ToList();
        return new ReturnEligibilityDto(
            order.Id,
            order.Number,
            order.DeliveredAt,
            ReturnEligibility.WindowClosesAt(order.DeliveredAt, options.ReturnWindow),
            problem is null && lines.Any(l => l.Eligible),
            problem ?? (lines.Any(l => l.Eligible) ? null : "Nothing on this order can be returned any more."),
            lines);
    }
}
