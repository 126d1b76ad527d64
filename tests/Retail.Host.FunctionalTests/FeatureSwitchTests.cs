using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Retail.Host.FunctionalTests.Infrastructure;
using Retail.Host.FunctionalTests.Partners;
using Retail.Host.FunctionalTests.Returns;

namespace Retail.Host.FunctionalTests;

/// <summary>Its own app: switching features off must not leak into other test classes.</summary>
public sealed class FeatureSwitchAppFactory : RetailAppFactory;

/// <summary>SPEC M4 for partner ingest and returns (flash sales: FlashSales/FlashSalesHttpTests): off → a clear 503, on → as before.</summary>
public sealed class FeatureSwitchTests(FeatureSwitchAppFactory factory) : IClassFixture<FeatureSwitchAppFactory>
{
    private async Task SwitchAsync(HttpClient admin, string feature, bool enabled)
    {
        var response = await admin.PutAsJsonAsync($"/api/admin/features/{feature}", new { enabled });
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    private static async Task ShouldBeSwitchedOffAsync(HttpResponseMessage response, string message)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable, await response.Content.ReadAsStringAsync());
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        problem.RootElement.GetProperty("code").GetString().ShouldBe("feature.unavailable");
        problem.RootElement.GetProperty("detail").GetString().ShouldBe(message);
    }

    [Fact]
    public async Task Partner_feeds_are_refused_with_503_while_partner_ingest_is_off_and_accepted_again_after()
    {
        var partner = await factory.CreatePartnerAsync();
        using var admin = await factory.ApiClientAsync(Users.Admin);
        using var client = factory.PartnerClient(partner.LiveKey);
        var feed = PartnerSetup.CsvFeed("SW" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant(), rows: 2);

        await SwitchAsync(admin, "partner-ingest", enabled: false);
        try
        {
            await ShouldBeSwitchedOffAsync(await client.PostFeedAsync(feed, "feed.csv"), "Partner feed imports are not available right now. Please check back later.");
        }
        finally
        {
            await SwitchAsync(admin, "partner-ingest", enabled: true);
        }

        (await client.PostFeedAsync(feed, "feed.csv")).StatusCode.ShouldBeOneOf(HttpStatusCode.OK, HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task New_returns_are_refused_with_503_while_returns_are_off()
    {
        using var admin = await factory.ApiClientAsync(Users.Admin);
        using var customer = await factory.ApiClientAsync(Users.Customer2);

        await SwitchAsync(admin, "returns", enabled: false);
        try
        {
            await ShouldBeSwitchedOffAsync(await ReturnsApi.SubmitAsync(customer, Guid.NewGuid(), "EL-0001", 1), "Returns are not available right now. Please check back later.");
        }
        finally
        {
            await SwitchAsync(admin, "returns", enabled: true);
        }

        // Back on: the same request reaches the returns rules again (this order is not the customer's → 404).
        (await ReturnsApi.SubmitAsync(customer, Guid.NewGuid(), "EL-0001", 1)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var features = await admin.GetFromJsonAsync<JsonElement>("/api/admin/features");
        features.EnumerateArray().Select(f => f.GetProperty("name").GetString()).Order().ShouldBe(["flash-sales", "partner-ingest", "returns"]);
    }

    [Theory]
    [InlineData("maybe")]
    [InlineData(null)]
    public async Task The_features_page_refuses_a_switch_without_a_boolean_and_leaves_the_feature_on(string? enabled)
    {
        using var admin = await factory.SignedInBrowserAsync(Users.Admin);
        var fields = new Dictionary<string, string> { ["name"] = "returns" };
        if (enabled is not null)
        {
            fields["enabled"] = enabled;
        }

        var response = await AppClient.PostFormAsync(admin, "/admin/features", fields);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var html = await response.Content.ReadAsStringAsync();
        Html.Text(html).ShouldContain("Choose on or off.");
        Html.Text(html).ShouldContain("Reference:");
        using var api = await factory.ApiClientAsync(Users.Admin);
        var features = await api.GetFromJsonAsync<JsonElement>("/api/admin/features");
        features.EnumerateArray().Single(f => f.GetProperty("name").GetString() == "returns").GetProperty("enabled").GetBoolean().ShouldBeTrue("a malformed post must not switch returns off");
    }

    [Fact]
    public async Task The_switch_api_answers_an_unknown_feature_with_404_naming_the_known_ones_without_echoing_the_name()
    {
        using var admin = await factory.ApiClientAsync(Users.Admin);
        var name = "no-such-feature-" + new string('x', 4000) + "<script>alert(1)</script>";

        var response = await admin.PutAsJsonAsync($"/api/admin/features/{Uri.EscapeDataString(name)}", new { enabled = false });

        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound, body);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        using var problem = JsonDocument.Parse(body);
        problem.RootElement.GetProperty("code").GetString().ShouldBe("feature.not_found");
        problem.RootElement.GetProperty("detail").GetString().ShouldBe("There is no such feature. The features are: flash-sales, partner-ingest, returns.");
        body.ShouldNotContain("no-such-feature", customMessage: "nothing the caller sent is echoed, however long");
        body.Length.ShouldBeLessThan(1000);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"enabled\":null}")]
    [InlineData("{\"Enable\":false}")]
    public async Task The_switch_api_refuses_a_body_without_enabled_with_400_and_leaves_the_feature_on(string body)
    {
        using var admin = await factory.ApiClientAsync(Users.Admin);

        var response = await admin.PutAsync("/api/admin/features/returns", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, await response.Content.ReadAsStringAsync());
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        problem.RootElement.GetProperty("errors").GetProperty("enabled")[0].GetString().ShouldBe("Send \"enabled\": true or false.");
        problem.RootElement.GetProperty("traceId").GetString().ShouldNotBeNullOrEmpty();
        var features = await admin.GetFromJsonAsync<JsonElement>("/api/admin/features");
        features.EnumerateArray().Single(f => f.GetProperty("name").GetString() == "returns").GetProperty("enabled").GetBoolean().ShouldBeTrue("a body without 'enabled' must not switch returns off");
    }
}
