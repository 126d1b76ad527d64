using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.BuildingBlocks.Application.Security;
using Retail.Modules.Catalog.Application.Abstractions;
using Retail.Modules.Catalog.Application.Products.GetProduct;
using Retail.Modules.Catalog.Domain.Products;

namespace Retail.Modules.Catalog.Application.Products.GetStockMovements;

/// <summary>The stock audit of one product, newest first.</summary>
[AuthorizeRoles(Roles.CatalogAdmin, Roles.Warehouse)]
public sealed record GetStockMovementsQuery(string Sku, int Page = 1, int PageSize = 20) : IQuery<PagedResult<StockMovementDto>>;

public sealed class GetStockMovementsQueryValidator : AbstractValidator<GetStockMovementsQuery>
{
    public GetStockMovementsQueryValidator()
    {
        RuleFor(q => q.Page).ValidPage();
        RuleFor(q => q.PageSize).InclusiveBetween(1, PagedResult<StockMovementDto>.MaxPageSize);
    }
}

public sealed class GetStockMovementsQueryHandler(ICatalogDbContext db) : IQueryHandler<GetStockMovementsQuery, PagedResult<StockMovementDto>>
{
    public async ValueTask<Result<PagedResult<StockMovementDto>>> Handle(GetStockMovementsQuery query, CancellationToken cancellationToken)
    {
        var sku = Skus.Normalize(query.Sku);
        if (!await db.Products.AnyAsync(p => p.Sku == sku, cancellationToken))
        {
            return GetProductQueryHandler.NotFound(query.Sku);
        }

        var movements = db.StockMovements.AsNoTracking().Where(m => m.Sku == sku);
        var total = await movements.CountAsync(cancellationToken);
        var items = await movements.OrderByDescending(m => m.OccurredAt)
            .Skip((query.Page - 1) * query.PageSize).Take(query.PageSize)
            .Select(m => new StockMovementDto(m.Delta, m.StockAfter, m.Reason, m.Actor, m.OccurredAt))
            .ToListAsync(cancellationToken);
        return new PagedResult<StockMovementDto>(items, query.Page, query.PageSize, total);
    }
}
