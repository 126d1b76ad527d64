using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Retail.Host.FunctionalTests.Infrastructure;
using Retail.Host.Web;

namespace Retail.Host.FunctionalTests.FlashSales;

/// <summary>The app in a shop time zone with daylight saving (Europe/London: 01:00–02:00 happens twice on the last Sunday of October).</summary>
public sealed class LondonShopAppFactory : RetailAppFactory
{
    protected override IDictionary<string, string?> Settings()
    {
        var settings = base.Settings();
        settings["Shop:TimeZone"] = "Europe/London";
        return settings;
    }
}

/// <summary>
/// Sale times are entered in the shop's zone. In the hour repeated when daylight saving ends, one wall-clock time is two
/// instants: a sale starting at the first 01:30 was moved an hour later when its edit form was saved unchanged.
/// </summary>
public sealed class FlashSaleShopTimeTests(LondonShopAppFactory factory) : IClassFixture<LondonShopAppFactory>
{
    private static ShopTime London() =>
        new(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Shop:TimeZone"] = "Europe/London" }).Build());

    [Theory]
    [InlineData(0)] // 01:30 BST, the first time the clocks show 01:30
    [InlineData(1)] // 01:30 GMT, the second time
    public void Both_instants_shown_as_the_repeated_autumn_hour_read_back_as_themselves_with_their_offset(int utcHour)
    {
        var shop = London();
        var instant = new DateTimeOffset(2026, 10, 25, utcHour, 30, 0, TimeSpan.Zero);

        var local = shop.ToLocal(instant);

        local.ShouldBe(new DateTime(2026, 10, 25, 1, 30, 0));
        shop.FromLocal(local, shop.OffsetOf(instant)).ShouldBe(instant);
    }

    [Fact]
    public void The_offset_only_picks_between_the_two_readings_of_an_ambiguous_time()
    {
        var shop = London();

        // Not ambiguous: the zone decides, whatever offset the form carried (the admin changed the day).
        shop.FromLocal(new DateTime(2026, 10, 26, 1, 30, 0), TimeSpan.FromHours(1)).ShouldBe(new DateTimeOffset(2026, 10, 26, 1, 30, 0, TimeSpan.Zero));
        // Ambiguous without an offset, or with one the zone does not have there: standard time, as before.
        shop.FromLocal(new DateTime(2026, 10, 25, 1, 30, 0), null).ShouldBe(new DateTimeOffset(2026, 10, 25, 1, 30, 0, TimeSpan.Zero));
        shop.FromLocal(new DateTime(2026, 10, 25, 1, 30, 0), TimeSpan.FromHours(5)).ShouldBe(new DateTimeOffset(2026, 10, 25, 1, 30, 0, TimeSpan.Zero));
        // Skipped in spring: still moved forward an hour.
        shop.FromLocal(new DateTime(2026, 3, 29, 1, 30, 0), TimeSpan.Zero).ShouldBe(new DateTimeOffset(2026, 3, 29, 2, 30, 0, TimeSpan.FromHours(1)));
    }

    [Fact]
    public async Task A_sale_starting_in_the_first_repeated_hour_keeps_its_start_when_the_edit_form_is_saved_unchanged()
    {
        using var admin = await factory.ApiClientAsync(Users.Catalog);
        var sku = await CatalogApi.CreateProductAsync(admin, stock: 10, price: 10m);
        var startsAt = NextAutumnChange().AddMinutes(-30); // 01:30 BST, the first 01:30 of that night
        var endsAt = startsAt.AddHours(3);
        var created = await admin.PostAsJsonAsync("/api/flash/sales", new
        {
            name = "Night owl deals",
            startsAt,
            endsAt,
            items = new[] { new { sku, flashPrice = (decimal?)5m, percentOff = (int?)null, allocation = 10, perCustomerCap = 1 } },
        });
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var saleId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        using var browser = await factory.SignedInBrowserAsync(Users.Catalog);

        var form = await browser.GetStringAsync($"/admin/flash-sales/{saleId}/edit");
        var fields = FormFields(form);
        fields["Input.StartsAt"].ShouldStartWith(startsAt.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) + "T01:30");
        var saved = await browser.PostAsync($"/admin/flash-sales/{saleId}/edit", new FormUrlEncodedContent(fields));

        saved.StatusCode.ShouldBe(HttpStatusCode.Redirect, Html.Text(await saved.Content.ReadAsStringAsync()));
        var sale = await admin.GetFromJsonAsync<JsonElement>($"/api/flash/sales/{saleId}");
        sale.GetProperty("startsAt").GetDateTimeOffset().ShouldBe(startsAt);
        sale.GetProperty("endsAt").GetDateTimeOffset().ShouldBe(endsAt);
    }

    /// <summary>01:00 UTC of the last Sunday of October after now: when London's clocks go back from 02:00 BST to 01:00 GMT.</summary>
    private static DateTimeOffset NextAutumnChange()
    {
        for (var year = DateTime.UtcNow.Year; ; year++)
        {
            var lastSunday = new DateTime(year, 10, 31);
            while (lastSunday.DayOfWeek != DayOfWeek.Sunday)
            {
                lastSunday = lastSunday.AddDays(-1);
            }

            var change = new DateTimeOffset(lastSunday.AddHours(1), TimeSpan.Zero);
            if (change > DateTimeOffset.UtcNow.AddDays(1))
            {
                return change;
            }
        }
    }

    /// <summary>Every input and textarea of the edit form as the browser would post it unchanged.</summary>
    private static Dictionary<string, string> FormFields(string html)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match input in Regex.Matches(html, "<input[^>]*name=\"([^\"]+)\"[^>]*value=\"([^\"]*)\""))
        {
            fields[input.Groups[1].Value] = WebUtility.HtmlDecode(input.Groups[2].Value);
        }

        foreach (Match area in Regex.Matches(html, "<textarea[^>]*name=\"([^\"]+)\"[^>]*>(.*?)</textarea>", RegexOptions.Singleline))
        {
            fields[area.Groups[1].Value] = WebUtility.HtmlDecode(area.Groups[2].Value).TrimStart('\n');
        }

        return fields;
    }
}
