using Microsoft.AspNetCore.Mvc;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.Catalog.Application.Categories.GetCategories;
using Retail.Modules.Catalog.Application.Products;
using Retail.Modules.Catalog.Application.Products.CreateProduct;
using Retail.Modules.Catalog.Application.Products.GetProduct;
using Retail.Modules.Catalog.Application.Products.UpdateProduct;

namespace Retail.Host.Pages.Admin.Catalog;

public sealed class EditModel(IRequestSender sender) : RetailPageModel
{
    public sealed class InputModel
    {
        public string Sku { get; set; } = "";

        public string Name { get; set; } = "";

        public string? Description { get; set; }

        public string Category { get; set; } = "";

        public decimal Price { get; set; }

        public int InitialStock { get; set; }

        public string? ImageUrls { get; set; }

        public bool IsActive { get; set; } = true;

        /// <summary>The product's version the form was filled from (edit only): a save over someone else's newer one is refused.</summary>
        public int? Version { get; set; }

        public IReadOnlyList<string> ImageUrlList =>
            (ImageUrls ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    [BindProperty]
    public InputModel Input { get; set; } = new();

    public IReadOnlyList<CategoryDto> Categories { get; private set; } = [];

    public bool IsNew { get; private set; } = true;

    public async Task<IActionResult> OnGetAsync(string? sku, CancellationToken cancellationToken)
    {
        await LoadCategoriesAsync(cancellationToken);
        if (string.IsNullOrEmpty(sku))
        {
            return Page();
        }

        var product = await sender.Send(new GetProductForAdminQuery(sku), cancellationToken);
        if (!product.IsSuccess)
        {
            return NotFound();
        }

        var p = product.Value;
        IsNew = false;
        Input = new InputModel
        {
            Sku = p.Sku, Name = p.Name, Description = p.Description, Category = p.CategorySlug, Price = p.Price,
            ImageUrls = string.Join('\n', p.ImageUrls), IsActive = p.IsActive, Version = p.Version,
        };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? sku, CancellationToken cancellationToken)
    {
        IsNew = string.IsNullOrEmpty(sku);
        if (!ModelState.IsValid)
        {
            // Binding failed (e.g. "abc" as a price): the field keeps its message, and the page answers like every other
            // page's binding error (a 400 naming the bad value, with the reference id).
            ShowError(BindingError());
            await LoadCategoriesAsync(cancellationToken);
            return Page();
        }

        var result = IsNew
            ? await sender.Send(new CreateProductCommand(Input.Sku, Input.Name, Input.Description, Input.Category, Input.Price, Input.InitialStock, Input.ImageUrlList, Input.IsActive), cancellationToken)
            : (Retail.BuildingBlocks.Application.Result)await sender.Send(new UpdateProductCommand(sku!, Input.Name, Input.Description, Input.Category, Input.Price, Input.ImageUrlList, Input.IsActive, Input.Version), cancellationToken);
        if (!result.IsSuccess)
        {
            if (!IsNew && result.Error.Kind == Retail.BuildingBlocks.Application.ErrorKind.NotFound)
            {
                return NotFound();
            }

            ShowError(result.Error, nameof(Input));
            await LoadCategoriesAsync(cancellationToken);
            return Page();
        }

        StatusMessage = $"Saved {Input.Sku.ToUpperInvariant()}.";
        return Redirect("/admin/catalog");
    }

    private async Task LoadCategoriesAsync(CancellationToken cancellationToken)
    {
        var categories = await sender.Send(new GetCategoriesQuery(), cancellationToken);
        Categories = categories.IsSuccess ? categories.Value : [];
    }
}
