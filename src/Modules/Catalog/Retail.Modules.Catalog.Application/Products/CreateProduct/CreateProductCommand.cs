using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.BuildingBlocks.Application.Security;
using Retail.Modules.Catalog.Application.Abstractions;
using Retail.Modules.Catalog.Domain.Products;

namespace Retail.Modules.Catalog.Application.Products.CreateProduct;

/// <summary>Creates a product. <see cref="Category"/> is the category's slug. Returns the normalized SKU.</summary>
[AuthorizeRoles(Roles.CatalogAdmin)]
public sealed record CreateProductCommand(
    string Sku,
    string Name,
    string? Description,
    string Category,
    decimal Price,
    int InitialStock,
    IReadOnlyList<string>? ImageUrls,
    bool IsActive = true) : ICommand<string>;

public sealed class CreateProductCommandValidator : AbstractValidator<CreateProductCommand>
{
    public CreateProductCommandValidator()
    {
        RuleFor(c => c.Sku).NotEmpty().Must(Skus.IsWellFormed).WithMessage($"A SKU has 1–{Skus.MaxLength} letters, digits, '-', '_' or '.'.");
        RuleFor(c => c.InitialStock).InclusiveBetween(0, StockAdjustmentRules.MaxDelta);
        ProductInputValidation.AddDetailRules(this, c => c.Name, c => c.Description, c => c.Category, c => c.Price, c => c.ImageUrls);
    }
}

public sealed class CreateProductCommandHandler(ICatalogDbContext db, TimeProvider time) : ICommandHandler<CreateProductCommand, string>
{
    public async ValueTask<Result<string>> Handle(CreateProductCommand command, CancellationToken cancellationToken)
    {
        var category = await db.Categories.SingleOrDefaultAsync(c => c.Slug == command.Category.Trim().ToLower(), cancellationToken);
        if (category is null)
        {
            return Error.Validation(new Dictionary<string, string[]> { ["Category"] = [$"There is no category '{command.Category}'."] });
        }

        var sku = Skus.Normalize(command.Sku);
        if (await db.Products.AnyAsync(p => p.Sku == sku, cancellationToken))
        {
            return Error.Conflict("catalog.duplicate_sku", $"A product with SKU '{sku}' already exists.");
        }

        var details = new ProductDetails(command.Name, command.Description ?? "", category.Id, command.Price, command.ImageUrls ?? [], command.IsActive);
        var product = Product.Create(details, sku, command.InitialStock, time.GetUtcNow());
        db.Products.Add(product);
        return product.Sku;
    }
}
