using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.BuildingBlocks.Application.Security;
using Retail.Modules.Catalog.Application.Abstractions;
using Retail.Modules.Catalog.Application.Products.GetProduct;
using Retail.Modules.Catalog.Domain.Products;

namespace Retail.Modules.Catalog.Application.Products.UpdateProduct;

/// <summary>
/// Changes a product's details (not its stock: see AdjustStockCommand). <paramref name="ExpectedVersion"/> is the version
/// the admin's form (or script) was filled from; when someone else saved the product since, the answer is 409 "reload"
/// and nothing changes.
/// </summary>
[AuthorizeRoles(Roles.CatalogAdmin)]
public sealed record UpdateProductCommand(
    string Sku,
    string Name,
    string? Description,
    string Category,
    decimal Price,
    IReadOnlyList<string>? ImageUrls,
    bool IsActive,
    int? ExpectedVersion = null) : ICommand;

public sealed class UpdateProductCommandValidator : AbstractValidator<UpdateProductCommand>
{
    public UpdateProductCommandValidator()
    {
        RuleFor(c => c.Sku).NotEmpty();
        ProductInputValidation.AddDetailRules(this, c => c.Name, c => c.Description, c => c.Category, c => c.Price, c => c.ImageUrls);
    }
}

public sealed class UpdateProductCommandHandler(ICatalogDbContext db, TimeProvider time) : ICommandHandler<UpdateProductCommand>
{
    public static Error Stale() =>
        Error.Conflict("catalog.product_changed", "This product was changed by someone else meanwhile. Please reload it and try again.");

    public async ValueTask<Result> Handle(UpdateProductCommand command, CancellationToken cancellationToken)
    {
        var sku = Skus.Normalize(command.Sku);
        var product = await db.Products.SingleOrDefaultAsync(p => p.Sku == sku, cancellationToken);
        if (product is null)
        {
            return GetProductQueryHandler.NotFound(command.Sku);
        }

        var category = await db.Categories.SingleOrDefaultAsync(c => c.Slug == command.Category.Trim().ToLower(), cancellationToken);
        if (category is null)
        {
            return Error.Validation(new Dictionary<string, string[]> { ["Category"] = [$"There is no category '{command.Category}'."] });
        }

        if (command.ExpectedVersion is { } expected && expected != product.Version)
        {
            // The form was filled before someone else's save: saving it would silently undo theirs.
            return Stale();
        }

        product.Update(new ProductDetails(command.Name, command.Description ?? "", category.Id, command.Price, command.ImageUrls ?? [], command.IsActive), time.GetUtcNow());
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another save committed between our read and our write (the version is checked in the UPDATE's WHERE).
            return Stale();
        }

        return Result.Success();
    }
}
