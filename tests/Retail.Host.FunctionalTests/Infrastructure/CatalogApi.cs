using System.Net;
using System.Net.Http.Json;

namespace Retail.Host.FunctionalTests.Infrastructure;

/// <summary>Catalog API calls the tests repeat.</summary>
public static class CatalogApi
{
    /// <summary>A SKU no other test uses.</summary>
    public static string NewSku(string prefix = "FT") => $"{prefix}-{Guid.NewGuid().ToString("N")[..10].ToUpperInvariant()}";

    /// <summary>Creates a product through <c>POST /api/catalog/products</c> as a catalog admin; returns its SKU.</summary>
    /// <summary>
    /// A product whose name ends in its own SKU, so a page or message that names it is told apart from every other
    /// test's: 5 in stock at 6.00, as the checkout tests' item that goes away meanwhile.
    /// </summary>
    public static async Task<(string Sku, string Name)> CreateNamedProductAsync(HttpClient catalogAdmin, string namePrefix)
    {
        var sku = NewSku();
        var name = $"{namePrefix} {sku}";
        await CreateProductAsync(catalogAdmin, sku: sku, stock: 5, price: 6m, name: name);
        return (sku, name);
    }

    public static async Task<string> CreateProductAsync(HttpClient catalogAdmin, string? sku = null, int stock = 10, string category = "garden",
        decimal price = 19.99m, string? name = null, bool isActive = true)
    {
        sku ??= NewSku();
        var response = await catalogAdmin.PostAsJsonAsync("/api/catalog/products", new
        {
            sku,
            name = name ?? $"Functional Test Item {sku}",
            description = "Created by a functional test.",
            category,
            price,
            initialStock = stock,
            imageUrls = new[] { "/img/products/placeholder.svg" },
            isActive,
        });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return sku;
    }

    public static async Task<ProductDetail> GetProductAsync(HttpClient client, string sku)
    {
        var response = await client.GetAsync($"/api/catalog/products/{Uri.EscapeDataString(sku)}");
        response.StatusCode.ShouldBe(HttpStatusCode.OK, $"GET product {sku}: {await response.Content.ReadAsStringAsync()}");
        var product = await response.Content.ReadFromJsonAsync<ProductDetail>();
        product.ShouldNotBeNull();
        return product;
    }

    public static async Task<ProductPage> SearchAsync(HttpClient client, string query)
    {
        var response = await client.GetAsync("/api/catalog/products" + query);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, $"search {query}: {await response.Content.ReadAsStringAsync()}");
        var page = await response.Content.ReadFromJsonAsync<ProductPage>();
        page.ShouldNotBeNull();
        return page;
    }

    public static async Task<IReadOnlyList<CategoryItem>> GetCategoriesAsync(HttpClient client)
    {
        var categories = await client.GetFromJsonAsync<List<CategoryItem>>("/api/catalog/categories");
        categories.ShouldNotBeNull();
        return categories;
    }
}
