using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Retail.Host.FunctionalTests.Infrastructure;
using Retail.Host.Web;

namespace Retail.Host.FunctionalTests;

/// <summary>
/// The general body limit (<see cref="RequestLimits.DefaultMaxBodyBytes"/>) through the app's own pipeline: the test host
/// applies no server limit, so what holds here holds on every server. Upload endpoints keep their own, larger limits
/// (ReturnsApiTests, ReturnsPagesTests, FeedIngestTests, FeedUploadPageTests send them bodies over this one).
/// </summary>
public sealed class BodySizeLimitTests(RetailAppFactory factory) : IClassFixture<RetailAppFactory>
{
    private static readonly int OverTheLimit = (int)(RequestLimits.DefaultMaxBodyBytes * 11 / 10);

    [Fact]
    public async Task An_api_body_over_the_limit_is_a_413_problem_and_creates_nothing()
    {
        using var client = await factory.ApiClientAsync(Users.Catalog);
        var sku = CatalogApi.NewSku();
        using var body = new StringContent(ProductJson(sku, new string('x', OverTheLimit)), Encoding.UTF8, "application/json");

        var response = await client.PostAsync("/api/catalog/products", body);

        await ShouldBeTooLargeProblemAsync(response);
        (await client.GetAsync($"/api/catalog/products/{sku}")).StatusCode.ShouldBe(HttpStatusCode.NotFound, "nothing was created");
    }

    [Fact]
    public async Task An_api_body_over_the_limit_without_a_declared_length_is_a_413_problem_and_creates_nothing()
    {
        using var client = await factory.ApiClientAsync(Users.Catalog);
        var sku = CatalogApi.NewSku();
        using var body = new UnknownLengthContent(Encoding.UTF8.GetBytes(ProductJson(sku, new string('x', OverTheLimit))), "application/json");

        var response = await client.PostAsync("/api/catalog/products", body);

        await ShouldBeTooLargeProblemAsync(response);
        (await client.GetAsync($"/api/catalog/products/{sku}")).StatusCode.ShouldBe(HttpStatusCode.NotFound, "nothing was created");
    }

    [Fact]
    public async Task An_api_body_within_the_limit_without_a_declared_length_is_served_as_before()
    {
        using var client = await factory.ApiClientAsync(Users.Catalog);
        var sku = CatalogApi.NewSku();
        using var body = new UnknownLengthContent(Encoding.UTF8.GetBytes(ProductJson(sku, "Within the limit")), "application/json");

        var response = await client.PostAsync("/api/catalog/products", body);

        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        (await client.GetFromJsonAsync<JsonElement>($"/api/catalog/products/{sku}")).GetProperty("name").GetString().ShouldBe("Within the limit");
    }

    [Fact]
    public async Task A_page_form_over_the_limit_is_a_413_friendly_page_with_a_reference_and_creates_nothing()
    {
        using var browser = await factory.SignedInBrowserAsync(Users.Catalog);
        var sku = CatalogApi.NewSku("BIG");

        var response = await AppClient.PostFormAsync(browser, "/admin/catalog/edit", ProductForm(sku, new string('x', OverTheLimit)));

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge, "not antiforgery's 400 nor a validation message after reading it all");
        response.Content.Headers.ContentType?.MediaType.ShouldBe("text/html");
        var html = await response.Content.ReadAsStringAsync();
        Html.Text(html).ShouldContain("larger than this page accepts");
        Html.ShouldBeFriendlyErrorPage(html);
        (await browser.GetAsync($"/admin/catalog/edit/{sku}")).StatusCode.ShouldBe(HttpStatusCode.NotFound, "no product was created");
    }

    [Fact]
    public async Task A_page_form_over_the_limit_without_a_declared_length_is_a_413_friendly_page_and_creates_nothing()
    {
        using var browser = await factory.SignedInBrowserAsync(Users.Catalog);
        var sku = CatalogApi.NewSku("BIG");
        var page = await browser.GetStringAsync("/admin/catalog/edit");
        var fields = ProductForm(sku, new string('x', OverTheLimit));
        fields["__RequestVerificationToken"] = Html.AntiforgeryToken(page);
        using var form = new FormUrlEncodedContent(fields);
        using var body = new UnknownLengthContent(await form.ReadAsByteArrayAsync(), "application/x-www-form-urlencoded");

        var response = await browser.PostAsync("/admin/catalog/edit", body);

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        var html = await response.Content.ReadAsStringAsync();
        Html.Text(html).ShouldContain("larger than this page accepts");
        Html.ShouldBeFriendlyErrorPage(html);
        (await browser.GetAsync($"/admin/catalog/edit/{sku}")).StatusCode.ShouldBe(HttpStatusCode.NotFound, "no product was created");
    }

    [Fact]
    public async Task A_page_form_within_the_limit_is_served_as_before()
    {
        using var browser = await factory.SignedInBrowserAsync(Users.Catalog);
        var sku = CatalogApi.NewSku("FIT");

        var response = await AppClient.PostFormAsync(browser, "/admin/catalog/edit", ProductForm(sku, "Fits the limit"));

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        (await browser.GetAsync($"/admin/catalog/edit/{sku}")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    private static async Task ShouldBeTooLargeProblemAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge, text.Length > 500 ? text[..500] : text);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        using var problem = JsonDocument.Parse(text);
        problem.RootElement.GetProperty("status").GetInt32().ShouldBe(413);
        problem.RootElement.GetProperty("code").GetString().ShouldBe("payload_too_large");
        problem.RootElement.GetProperty("traceId").GetString().ShouldNotBeNullOrWhiteSpace();
        Html.ShouldNotLeakExceptionDetails(text);
    }

    private static string ProductJson(string sku, string name) =>
        JsonSerializer.Serialize(new { sku, name, category = "garden", price = 12.50m, initialStock = 3, isActive = true });

    private static Dictionary<string, string> ProductForm(string sku, string name) => new()
    {
        ["Input.Sku"] = sku,
        ["Input.Name"] = name,
        ["Input.Category"] = "books",
        ["Input.Price"] = "1.00",
        ["Input.InitialStock"] = "1",
        ["Input.IsActive"] = "true",
    };

    /// <summary>A body sent without <c>Content-Length</c> (chunked on a real connection): its size is known only as it is read.</summary>
    private sealed class UnknownLengthContent : HttpContent
    {
        private readonly byte[] bytes;

        public UnknownLengthContent(byte[] bytes, string mediaType)
        {
            this.bytes = bytes;
            Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(mediaType);
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }
}
