using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.BuildingBlocks.Application.Security;
using Retail.Modules.FlashSales.Application.Abstractions;
using Retail.Modules.FlashSales.Application.Checkout;
using Retail.Modules.FlashSales.Domain.Sales;
using Retail.Modules.Payments.IntegrationEvents;

namespace Retail.Modules.FlashSales.Application.Sales;

/// <summary>
/// The sales, newest window first, with their state now, one page at a time; for the back office. <paramref name="Search"/>
/// finds a sale by a part of its name or of one of its products' SKUs, in any case.
/// </summary>
[AuthorizeRoles(Roles.CatalogAdmin)]
public sealed record GetFlashSalesQuery(string? Search = null, int Page = 1, int PageSize = 25) : IQuery<PagedResult<FlashSaleSummaryDto>>;

public sealed class GetFlashSalesQueryValidator : AbstractValidator<GetFlashSalesQuery>
{
    public GetFlashSalesQueryValidator()
    {
        RuleFor(q => q.Page).ValidPage();
        RuleFor(q => q.PageSize).InclusiveBetween(1, PagedResult<FlashSaleSummaryDto>.MaxPageSize);
        RuleFor(q => q.Search).ValidSearchText();
    }
}

public sealed record FlashSaleSummaryDto(Guid Id, string Name, string State, DateTimeOffset StartsAt, DateTimeOffset EndsAt, int Products, int Allocation, int Sold);

/// <summary>One sale with live figures: per product sold, remaining and open holds, plus 429s and the payment breaker.</summary>
[AuthorizeRoles(Roles.CatalogAdmin)]
public sealed record GetFlashSaleQuery(Guid Id) : IQuery<FlashSaleDetailDto>;

/// <param name="RateLimited">Checkout attempts for this sale's products answered 429 by this instance since it started.</param>
/// <param name="BreakerState">The payment circuit breaker: Closed, Open or HalfOpen.</param>
/// <param name="Version">The sale's concurrency token: send it back with an edit (a stale one is answered 409 "reload").</param>
public sealed record FlashSaleDetailDto(
    Guid Id,
    string Name,
    string State,
    DateTimeOffset ServerTime,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    IReadOnlyList<FlashSaleItemDetailDto> Items,
    long RateLimited,
    string BreakerState,
    int PendingPayments,
    int Version);

/// <param name="Holds">Units claimed by orders that are neither paid nor cancelled yet.</param>
public sealed record FlashSaleItemDetailDto(
    string Sku,
    string ProductName,
    decimal RegularPrice,
    string PriceRule,
    decimal FlashPrice,
    int Allocation,
    int Sold,
    int Remaining,
    int Holds,
    int PaidUnits,
    int PerCustomerCap);

/// <summary>
/// One page of sales, read from the database (the back office, never the listing's hot path). Every sale ever made used
/// to be read and shown at once, with no way to find one: a shop running a sale a day had a list that only grew.
/// </summary>
public sealed class GetFlashSalesQueryHandler(IFlashSalesDbContext db, TimeProvider time) : IQueryHandler<GetFlashSalesQuery, PagedResult<FlashSaleSummaryDto>>
{
    public async ValueTask<Result<PagedResult<FlashSaleSummaryDto>>> Handle(GetFlashSalesQuery query, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var sales = db.Sales.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            // Upper-cased on both sides (SKUs are stored upper-case), as the staff returns queue does; Contains is instr()
            // on SQLite, so '%' and '_' in the search are plain characters.
            var term = query.Search.Trim().ToUpperInvariant();
            sales = sales.Where(s => s.Name.ToUpper().Contains(term) || s.Items.Any(i => i.Sku.Contains(term)));
        }

        var total = await sales.CountAsync(cancellationToken);
        var page = await sales.Include(s => s.Items)
            .OrderByDescending(s => s.StartsAt).ThenBy(s => s.Id)
            .Skip((query.Page - 1) * query.PageSize)
            .Take(query.PageSize)
            .ToListAsync(cancellationToken);
        return new PagedResult<FlashSaleSummaryDto>(
            [.. page.Select(s => new FlashSaleSummaryDto(s.Id, s.Name, s.StateAt(now).ToString(), s.StartsAt, s.EndsAt, s.Items.Count, s.Items.Sum(i => i.Allocation), s.Items.Sum(i => i.Sold)))],
            query.Page,
            query.PageSize,
            total);
    }
}

public sealed class GetFlashSaleQueryHandler(IFlashSalesDbContext db, IRequestSender sender, FlashCheckoutStatistics statistics, TimeProvider time)
    : IQueryHandler<GetFlashSaleQuery, FlashSaleDetailDto>
{
    public async ValueTask<Result<FlashSaleDetailDto>> Handle(GetFlashSaleQuery query, CancellationToken cancellationToken)
    {
        var sale = await db.Sales.AsNoTracking().Include(s => s.Items).SingleOrDefaultAsync(s => s.Id == query.Id, cancellationToken);
        if (sale is null)
        {
            return FlashSaleInputRules.NotFound(query.Id);
        }

        var claims = await db.Claims.AsNoTracking()
            .Where(c => c.SaleId == sale.Id && c.ReleasedAt == null)
            .GroupBy(c => new { c.Sku, Paid = c.PaidAt != null })
            .Select(g => new { g.Key.Sku, g.Key.Paid, Units = g.Sum(c => c.Quantity) })
            .ToListAsync(cancellationToken);

        // The breaker is Payments' business; a catalog admin may read its state, and a failure here must not hide the panel.
        var payments = await sender.Send(new GetPaymentsOverview(), cancellationToken);
        var now = time.GetUtcNow();
        return new FlashSaleDetailDto(
            sale.Id,
            sale.Name,
            sale.StateAt(now).ToString(),
            now,
            sale.StartsAt,
            sale.EndsAt,
            [.. sale.Items.OrderBy(i => i.ProductName).Select(i => new FlashSaleItemDetailDto(
                i.Sku,
                i.ProductName,
                i.RegularPrice,
                i.PriceRule.ToString(),
                i.FlashPriceNow,
                i.Allocation,
                i.Sold,
                i.Remaining,
                claims.Where(c => c.Sku == i.Sku && !c.Paid).Sum(c => c.Units),
                claims.Where(c => c.Sku == i.Sku && c.Paid).Sum(c => c.Units),
                i.PerCustomerCap))],
            statistics.RateLimitedFor(sale.Id),
            payments.IsSuccess ? payments.Value.BreakerState : "Unknown",
            payments.IsSuccess ? payments.Value.PendingPayments : 0,
            sale.Version);
    }
}

public sealed class GetFlashSalesOverviewHandler(IFlashSalesDbContext db, Retail.BuildingBlocks.Application.Features.IFeatureToggles features, TimeProvider time)
    : IQueryHandler<IntegrationEvents.GetFlashSalesOverview, IntegrationEvents.FlashSalesOverviewDto>
{
    public async ValueTask<Result<IntegrationEvents.FlashSalesOverviewDto>> Handle(IntegrationEvents.GetFlashSalesOverview query, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var sales = await db.Sales.AsNoTracking().Include(s => s.Items).Where(s => s.EndsAt > now).ToListAsync(cancellationToken);
        var holds = await db.Claims.AsNoTracking().Where(c => c.PaidAt == null && c.ReleasedAt == null).SumAsync(c => (int?)c.Quantity, cancellationToken) ?? 0;
        var live = sales.Where(s => s.StartsAt <= now).ToList();
        var enabled = features.Find(Retail.BuildingBlocks.Application.Features.Features.FlashSales) is not { } toggle || await toggle.IsEnabledAsync(cancellationToken);
        return new IntegrationEvents.FlashSalesOverviewDto(
            enabled,
            live.Count,
            sales.Count - live.Count,
            live.Sum(s => s.Items.Sum(i => i.Sold)),
            live.Sum(s => s.Items.Sum(i => i.Remaining)),
            holds);
    }
}
