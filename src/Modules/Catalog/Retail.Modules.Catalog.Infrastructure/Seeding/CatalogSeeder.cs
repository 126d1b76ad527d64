using Bogus;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Retail.BuildingBlocks.Infrastructure.Persistence;
using Retail.Modules.Catalog.Domain.Categories;
using Retail.Modules.Catalog.Domain.Products;
using Retail.Modules.Catalog.Infrastructure.Persistence;

namespace Retail.Modules.Catalog.Infrastructure.Seeding;

/// <summary>
/// Demo catalog for an empty database: 8 categories × 30 products, generated from a fixed seed so every fresh
/// install shows the same shop. Goes through the aggregate, so ProductUpserted events reach other modules too.
/// </summary>
internal sealed class CatalogSeeder(CatalogDbContext db, TimeProvider time, ILogger<CatalogSeeder> logger) : IModuleSeeder
{
    public const int ProductsPerCategory = 30;

    public static readonly IReadOnlyList<(string Name, string Code, string[] Nouns)> DemoCategories =
    [
        ("Electronics", "EL", ["Headphones", "Speaker", "Charger", "Keyboard", "Mouse", "Webcam", "Monitor", "Router"]),
        ("Home & Kitchen", "HK", ["Kettle", "Pan", "Knife Set", "Blender", "Mug", "Cutting Board", "Toaster", "Lamp"]),
        ("Books", "BK", ["Novel", "Cookbook", "Atlas", "Biography", "Field Guide", "Poetry Collection", "Handbook", "Anthology"]),
        ("Sports & Outdoors", "SP", ["Yoga Mat", "Water Bottle", "Tent", "Backpack", "Running Shoes", "Bike Light", "Dumbbell", "Jacket"]),
        ("Toys & Games", "TY", ["Puzzle", "Board Game", "Building Set", "Plush Bear", "Kite", "Card Game", "Train Set", "Robot Kit"]),
        ("Beauty", "BT", ["Face Cream", "Shampoo", "Hair Brush", "Lip Balm", "Body Lotion", "Perfume", "Nail Kit", "Soap Bar"]),
        ("Garden", "GD", ["Watering Can", "Pruning Shears", "Planter", "Seed Mix", "Hose", "Gloves", "Bird Feeder", "Trowel"]),
        ("Office", "OF", ["Notebook", "Desk Organizer", "Pen Set", "Stapler", "Desk Lamp", "Whiteboard", "Binder", "Chair Cushion"]),
    ];

    public int Order => 10;

    public async Task SeedAsync(bool includeDemoData, CancellationToken cancellationToken)
    {
        if (!includeDemoData || await db.Products.AnyAsync(cancellationToken) || await db.Categories.AnyAsync(cancellationToken))
        {
            return;
        }

        var now = time.GetUtcNow();
        var faker = new Faker { Random = new Randomizer(4242) };
        foreach (var (name, code, nouns) in DemoCategories)
        {
            var category = Category.Create(name);
            db.Categories.Add(category);
            for (var i = 1; i <= ProductsPerCategory; i++)
            {
                var noun = nouns[(i - 1) % nouns.Length];
                var productName = $"{faker.Commerce.ProductAdjective()} {faker.Commerce.ProductMaterial()} {noun}";
                var details = new ProductDetails(
                    productName,
                    $"{productName}. {faker.Lorem.Sentence(12)}",
                    category.Id,
                    decimal.Round(faker.Random.Decimal(3m, 400m), 2),
                    [$"/img/products/{category.Slug}.svg"],
                    IsActive: i != ProductsPerCategory);
                db.Products.Add(Product.Create(details, $"{code}-{i:D4}", faker.Random.Int(0, 250), now.AddMinutes(-i)));
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Seeded the demo catalog: {Categories} categories, {Products} products", DemoCategories.Count, DemoCategories.Count * ProductsPerCategory);
    }
}
