using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.Catalog.Application.Categories.GetCategories;
using Retail.Modules.Catalog.Application.Products;
using Retail.Modules.Catalog.Application.Products.GetFeaturedProducts;

namespace Retail.Host.Pages;

public sealed class IndexModel(IRequestSender sender) : RetailPageModel
{
    public IReadOnlyList<ProductSummaryDto> Featured { get; private set; } = [];

    public IReadOnlyList<CategoryDto> Categories { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var featured = await sender.Send(new GetFeaturedProductsQuery(8), cancellationToken);
        var categories = await sender.Send(new GetCategoriesQuery(), cancellationToken);
        Featured = featured.IsSuccess ? featured.Value : [];
        Categories = categories.IsSuccess ? categories.Value : [];
    }
}
