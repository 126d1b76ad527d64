using Microsoft.EntityFrameworkCore;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.Modules.Catalog.Domain.Categories;
using Retail.Modules.Catalog.Domain.Products;

namespace Retail.Modules.Catalog.Application.Abstractions;

/// <summary>The Catalog tables as its handlers see them.</summary>
public interface ICatalogDbContext : IModuleDbContext
{
    DbSet<Product> Products { get; }

    DbSet<Category> Categories { get; }

    DbSet<StockMovement> StockMovements { get; }

    DbSet<StockReservation> StockReservations { get; }
}
