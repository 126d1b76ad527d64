using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Features;
using Retail.BuildingBlocks.Application.Messaging;

namespace Retail.Modules.FlashSales.Application.Listing;

/// <summary>
/// A cheap token that changes whenever the public listing's data changes: the feature switch and the cached snapshot's
/// load (a new refresh period or an admin edit reloads it). The host keys its cached renderings of the listing by it
/// (with the clock's second, for the countdowns), so a cached page never outlives the data it was made from.
/// </summary>
public sealed record GetFlashListingVersionQuery : IQuery<string>;

public sealed class GetFlashListingVersionQueryHandler(FlashListingCache listing, IFeatureToggles features)
    : IQueryHandler<GetFlashListingVersionQuery, string>
{
    public async ValueTask<Result<string>> Handle(GetFlashListingVersionQuery query, CancellationToken cancellationToken)
    {
        if (features.Find(Features.FlashSales) is { } toggle && !await toggle.IsEnabledAsync(cancellationToken))
        {
            return "off";
        }

        var snapshot = await listing.GetAsync(cancellationToken);
        return snapshot.LoadId.ToString("N");
    }
}
