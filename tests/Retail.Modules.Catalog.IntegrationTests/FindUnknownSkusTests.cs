using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Retail.Modules.Catalog.Application.Abstractions;
using Retail.Modules.Catalog.Application.Products.FindUnknownSkus;
using Retail.Modules.Catalog.IntegrationEvents;

namespace Retail.Modules.Catalog.IntegrationTests;

/// <summary>The checkout validator's existence check: right answers, and a found SKU is not read again.</summary>
public sealed class FindUnknownSkusTests(CatalogFixture fixture) : IClassFixture<CatalogFixture>
{
    private Task<IReadOnlyList<string>> FindUnknownAsync(params string[] skus) =>
        fixture.QueryAsync(async sp => (await ActivatorUtilities.CreateInstance<FindUnknownSkusHandler>(sp).Handle(new FindUnknownSkus(skus), default)).Value);

    private Task AddProductAsync(string sku) =>
        fixture.UpsertPartnerProductsAsync("partner-known-skus", null, new PartnerProductRow(sku, "Known " + sku, null, null, 10m, 3, null, null, null));

    [Fact]
    public async Task Only_skus_that_are_not_products_come_back_normalized()
    {
        await AddProductAsync("KNOWN-1");

        (await FindUnknownAsync(" known-1 ", "KNOWN-404", "known-404")).ShouldBe(["KNOWN-404"]);
        (await FindUnknownAsync("KNOWN-1")).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_found_sku_is_remembered_and_an_unknown_one_is_read_again()
    {
        await AddProductAsync("KNOWN-2");
        (await FindUnknownAsync("KNOWN-2", "KNOWN-3")).ShouldBe(["KNOWN-3"]);

        // The row goes away behind the module's back (products are never deleted): the answer comes from memory.
        await fixture.QueryAsync(sp => sp.GetRequiredService<ICatalogDbContext>().Products.Where(p => p.Sku == "KNOWN-2").ExecuteDeleteAsync());
        fixture.Services.GetRequiredService<KnownSkus>().Contains("KNOWN-2").ShouldBeTrue();
        (await FindUnknownAsync("KNOWN-2")).ShouldBeEmpty("found once, so not read again");

        // Not found is never remembered: the product created a moment later is found at once.
        await AddProductAsync("KNOWN-3");
        (await FindUnknownAsync("KNOWN-2", "KNOWN-3")).ShouldBeEmpty();
    }
}
