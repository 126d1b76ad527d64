using Microsoft.Extensions.Options;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Features;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.FlashSales.Domain.Sales;

namespace Retail.Modules.FlashSales.Application.Listing;

/// <summary>The public flash listing (page and <c>GET /api/flash/products</c>): live and upcoming sales, from the cache.</summary>
public sealed record GetFlashProductsQuery : IQuery<FlashListingDto>;

/// <param name="ServerTime">The server clock the states and countdowns were computed from.</param>
/// <param name="AsOf">When the numbers (remaining units) were read from the database; at most one refresh period old.</param>
public sealed record FlashListingDto(DateTimeOffset ServerTime, DateTimeOffset AsOf, IReadOnlyList<FlashSaleListingDto> Sales);

/// <param name="State"><c>Upcoming</c>, <c>Live</c> or <c>SoldOut</c>.</param>
/// <param name="CountdownTo">Start of an upcoming sale, end of a live one.</param>
/// <param name="SecondsLeft">Whole seconds until <paramref name="CountdownTo"/>.</param>
public sealed record FlashSaleListingDto(
    Guid Id,
    string Name,
    string State,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    DateTimeOffset CountdownTo,
    long SecondsLeft,
    IReadOnlyList<FlashProductListingDto> Products);

/// <param name="RemainingLabel">Bucketed scarcity text such as "Only 10 or fewer left", or null when plenty are left.</param>
public sealed record FlashProductListingDto(
    string Sku,
    string Name,
    decimal RegularPrice,
    decimal FlashPrice,
    int PercentOff,
    bool SoldOut,
    string? RemainingLabel,
    int PerCustomerCap);

public sealed class GetFlashProductsQueryHandler(
    FlashListingCache listing,
    IFeatureToggles features,
    TimeProvider time,
    IOptions<FlashSalesOptions> options) : IQueryHandler<GetFlashProductsQuery, FlashListingDto>
{
    public async ValueTask<Result<FlashListingDto>> Handle(GetFlashProductsQuery query, CancellationToken cancellationToken)
    {
        if (features.Find(Features.FlashSales) is { } toggle && !await toggle.IsEnabledAsync(cancellationToken))
        {
            return FeatureToggles.Unavailable(toggle.DisplayName);
        }

        var snapshot = await listing.GetAsync(cancellationToken);
        var now = time.GetUtcNow();
        var buckets = options.Value.RemainingBuckets;
        var sales = new List<FlashSaleListingDto>();
        foreach (var sale in snapshot.Sales)
        {
            var state = FlashSale.StateOf(sale.StartsAt, sale.EndsAt, sale.Items.Sum(i => i.Remaining), now);
            if (state == FlashSaleState.Ended)
            {
                continue;
            }

            var countdownTo = state == FlashSaleState.Upcoming ? sale.StartsAt : sale.EndsAt;
            sales.Add(new FlashSaleListingDto(
                sale.Id,
                sale.Name,
                state.ToString(),
                sale.StartsAt,
                sale.EndsAt,
                countdownTo,
                (long)Math.Max(0, Math.Ceiling((countdownTo - now).TotalSeconds)),
                [.. sale.Items.Select(i => new FlashProductListingDto(
                    i.Sku,
                    i.ProductName,
                    i.RegularPrice,
                    i.FlashPrice,
                    PercentOff(i.RegularPrice, i.FlashPrice),
                    i.Remaining == 0,
                    RemainingLabel(i.Remaining, buckets),
                    i.PerCustomerCap))]));
        }

        return new FlashListingDto(now, snapshot.LoadedAt, sales);
    }

    /// <summary>"Only N or fewer left" with N the smallest bucket at or above what remains, so exact stock is never revealed.</summary>
    public static string? RemainingLabel(int remaining, IReadOnlyList<int> buckets)
    {
        if (remaining <= 0)
        {
            return null;
        }

        foreach (var bucket in buckets.Order())
        {
            if (remaining <= bucket)
            {
                return $"Only {bucket} or fewer left";
            }
        }

        return null;
    }

    public static int PercentOff(decimal regular, decimal flash) =>
        regular <= 0 ? 0 : (int)Math.Round((regular - flash) / regular * 100m, MidpointRounding.AwayFromZero);
}
