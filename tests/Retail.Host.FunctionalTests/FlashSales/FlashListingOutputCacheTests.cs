using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Retail.BuildingBlocks.Infrastructure.Persistence;
using Retail.Host.FunctionalTests.Infrastructure;

namespace Retail.Host.FunctionalTests.FlashSales;

/// <summary>The app on a clock that moves only when a test moves it, so "the same second" is the test's to decide.</summary>
public sealed class FrozenClockAppFactory : RetailAppFactory
{
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }
}

/// <summary>
/// The visitor's flash listing page is served from the output cache (an <c>Age</c> header marks a cached answer) but never
/// shows anything a fresh render would not: new second, admin edit and the feature switch each make a new rendering, and
/// signed-in users, query strings and TempData messages always get their own.
/// </summary>
public sealed class FlashListingOutputCacheTests(FrozenClockAppFactory factory) : IClassFixture<FrozenClockAppFactory>
{
    private async Task<(string Sku, Guid SaleId)> CreateLiveSaleAsync(HttpClient admin)
    {
        var sku = await CatalogApi.CreateProductAsync(admin, stock: 50, price: 10m);
        var now = factory.Clock.GetUtcNow();
        var created = await admin.PostAsJsonAsync("/api/flash/sales", new
        {
            name = "Cached " + sku,
            startsAt = now.AddMinutes(-1),
            endsAt = now.AddHours(1),
            items = new[] { new { sku, flashPrice = 7.5m, allocation = 20, perCustomerCap = 2 } },
        });
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        await AfterEditAsync();
        return (sku, (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
    }

    /// <summary>
    /// Lets an admin edit settle: its events (product and sale changed) are delivered, and each delivery drops the cached
    /// listing again. Then the clock moves a millisecond on, because HybridCache drops entries created at or before a tag's
    /// removal, and on a clock that stands still every later load would count as "before" (a real clock always moves).
    /// </summary>
    private async Task AfterEditAsync()
    {
        await Eventually.WaitForAsync(PendingEventsAsync, pending => pending == 0, "the edit's events to be delivered");
        factory.Clock.Advance(TimeSpan.FromMilliseconds(1));
    }

    private async Task<int> PendingEventsAsync()
    {
        using var scope = factory.Services.CreateScope();
        var pending = 0;
        foreach (var module in new[] { "catalog", "flashsales" })
        {
            var db = scope.ServiceProvider.GetRequiredKeyedService<ModuleDbContext>(module);
            pending += await db.OutboxMessages.CountAsync(m => m.ProcessedAt == null && m.DeadLetteredAt == null);
        }

        return pending;
    }

    private static long SecondsLeft(string html, Guid saleId)
    {
        var match = Regex.Match(html, $"""data-sale-id="{saleId}".*?data-seconds="(\d+)" """.TrimEnd(), RegexOptions.Singleline);
        match.Success.ShouldBeTrue($"sale {saleId} has no countdown on the page");
        return long.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static bool FromCache(HttpResponseMessage response) => response.Headers.Age.HasValue;

    [Fact]
    public async Task A_visitors_page_is_rendered_once_a_second_and_served_from_the_cache_in_between()
    {
        using var admin = await factory.ApiClientAsync(Users.Catalog);
        var (sku, saleId) = await CreateLiveSaleAsync(admin);
        using var visitor = factory.Browser();

        var first = await visitor.GetAsync("/flash/products");
        var firstHtml = await first.Content.ReadAsStringAsync();
        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        firstHtml.ShouldContain($"data-sku=\"{sku}\"");
        FromCache(first).ShouldBeFalse("the first view renders the page");

        var second = await visitor.GetAsync("/flash/products");
        FromCache(second).ShouldBeTrue("a second view in the same second is the cached rendering");
        (await second.Content.ReadAsStringAsync()).ShouldBe(firstHtml);
        second.Headers.TryGetValues("Set-Cookie", out var cookies).ShouldBeFalse("a cached page sets no cookie");
        second.Headers.GetValues("Content-Security-Policy").ShouldHaveSingleItem().ShouldContain("script-src 'self'");

        factory.Clock.Advance(TimeSpan.FromSeconds(1));
        var nextSecond = await visitor.GetAsync("/flash/products");
        FromCache(nextSecond).ShouldBeFalse("a new second renders again");
        SecondsLeft(await nextSecond.Content.ReadAsStringAsync(), saleId).ShouldBe(SecondsLeft(firstHtml, saleId) - 1);
    }

    [Fact]
    public async Task A_new_sale_shows_at_once_on_a_cached_page()
    {
        using var admin = await factory.ApiClientAsync(Users.Catalog);
        await CreateLiveSaleAsync(admin);
        using var visitor = factory.Browser();
        await visitor.GetAsync("/flash/products");
        FromCache(await visitor.GetAsync("/flash/products")).ShouldBeTrue();

        var (newSku, _) = await CreateLiveSaleAsync(admin);
        var afterEdit = await visitor.GetAsync("/flash/products");

        FromCache(afterEdit).ShouldBeFalse("the admin edit reloaded the listing, which is a new version of the page");
        (await afterEdit.Content.ReadAsStringAsync()).ShouldContain($"data-sku=\"{newSku}\"");
    }

    [Fact]
    public async Task Switching_flash_sales_off_is_not_hidden_by_a_cached_page()
    {
        using var admin = await factory.ApiClientAsync(Users.Admin);
        using var visitor = factory.Browser();
        await AfterEditAsync();
        await visitor.GetAsync("/flash/products");
        FromCache(await visitor.GetAsync("/flash/products")).ShouldBeTrue();

        (await admin.PutAsJsonAsync("/api/admin/features/flash-sales", new { enabled = false })).StatusCode.ShouldBe(HttpStatusCode.OK);
        try
        {
            var off = await visitor.GetAsync("/flash/products");
            off.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
            Html.ElementText(await off.Content.ReadAsStringAsync(), "flash-unavailable").ShouldBe("Flash sales are not available right now. Please check back later.");
            FromCache(await visitor.GetAsync("/flash/products")).ShouldBeFalse("the unavailable page is never cached");
        }
        finally
        {
            (await admin.PutAsJsonAsync("/api/admin/features/flash-sales", new { enabled = true })).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        (await visitor.GetAsync("/flash/products")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Signed_in_customers_query_strings_and_tempdata_messages_never_get_the_cached_page()
    {
        using var admin = await factory.ApiClientAsync(Users.Catalog);
        var (sku, _) = await CreateLiveSaleAsync(admin);
        using var visitor = factory.Browser();
        await visitor.GetAsync("/flash/products");
        FromCache(await visitor.GetAsync("/flash/products")).ShouldBeTrue("the visitors' rendering is in the cache");

        using var customer = await factory.SignedInBrowserAsync(Users.Customer);
        foreach (var attempt in new[] { 1, 2 })
        {
            var mine = await customer.GetAsync("/flash/products");
            FromCache(mine).ShouldBeFalse($"a signed-in view (attempt {attempt}) is rendered for that customer");
            (await mine.Content.ReadAsStringAsync()).ShouldContain($"<input type=\"hidden\" name=\"sku\" value=\"{sku}\" />");
        }

        foreach (var attempt in new[] { 1, 2 })
        {
            var searched = await visitor.GetAsync("/flash/products?search=%3Cb%3Ehello");
            FromCache(searched).ShouldBeFalse($"a query string (attempt {attempt}) is rendered, not cached");
            (await searched.Content.ReadAsStringAsync()).ShouldContain("value=\"&lt;b&gt;hello\"");
        }

        using var withMessage = new HttpRequestMessage(HttpMethod.Get, "/flash/products");
        withMessage.Headers.Add("Cookie", "retail.tempdata=CfDJ8-not-a-real-message");
        using var plain = factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });
        var messaged = await plain.SendAsync(withMessage);
        messaged.StatusCode.ShouldBe(HttpStatusCode.OK);
        FromCache(messaged).ShouldBeFalse("a request carrying a TempData message is rendered so the message can show");
    }
}
