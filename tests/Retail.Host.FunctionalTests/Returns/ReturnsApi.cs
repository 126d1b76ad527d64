using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Retail.Host.FunctionalTests.Infrastructure;

namespace Retail.Host.FunctionalTests.Returns;

/// <summary>The app's own flows the return tests start from: a fresh customer, a product, a paid and delivered order.</summary>
internal static class ReturnsApi
{
    public const string Password = "Return-Passw0rd!";

    /// <summary>Smallest valid images of each kind, with metadata the upload must strip.</summary>
    public static readonly byte[] Jpeg =
    [
        0xFF, 0xD8,
        0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
        0xFF, 0xE1, 0x00, 0x10, 0x45, 0x78, 0x69, 0x66, 0x00, 0x00, 0x47, 0x50, 0x53, 0x3A, 0x34, 0x38, 0x2E, 0x31, // APP1 "Exif..GPS:48.1"
        0xFF, 0xFE, 0x00, 0x08, 0x73, 0x65, 0x63, 0x72, 0x65, 0x74, // COM "secret"
        0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00, 0x12, 0x34,
        0xFF, 0xD9,
    ];

    public static readonly byte[] Png = BuildPng();

    public static async Task<HttpClient> NewCustomerAsync(RetailAppFactory factory)
    {
        var email = Users.NewEmail("returns");
        using (var anonymous = factory.AnonymousApi())
        {
            var registered = await anonymous.PostAsJsonAsync("/api/identity/register", new { email, password = Password });
            registered.StatusCode.ShouldBe(HttpStatusCode.OK, await registered.Content.ReadAsStringAsync());
        }

        var token = await factory.GetBearerTokenAsync(email, Password);
        var client = factory.AnonymousApi();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        client.DefaultRequestHeaders.Add("X-Test-Email", email);
        return client;
    }

    public static string EmailOf(HttpClient customer) => customer.DefaultRequestHeaders.GetValues("X-Test-Email").Single();

    /// <summary>Checkout by card (API), then the warehouse ships and delivers (API); waits until Returns has heard of the delivery.</summary>
    public static async Task<(Guid OrderId, string Sku)> DeliveredOrderAsync(RetailAppFactory factory, HttpClient customer, int quantity = 2, decimal price = 25m, string? sku = null)
    {
        using var catalog = await factory.ApiClientAsync(Users.Catalog);
        sku ??= await CatalogApi.CreateProductAsync(catalog, stock: 50, price: price);
        var checkout = await OrderingPages.ApiCheckoutAsync(customer, sku, quantity);
        checkout.StatusCode.ShouldBe(HttpStatusCode.Created, await checkout.Content.ReadAsStringAsync());
        var orderId = await OrderingPages.OrderIdOfAsync(checkout);
        using var warehouse = await factory.ApiClientAsync(Users.Warehouse);
        (await warehouse.PostAsync($"/api/orders/{orderId}/ship", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await warehouse.PostAsync($"/api/orders/{orderId}/deliver", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await Eventually.WaitForAsync(
            async () => (await customer.GetAsync($"/api/returns/eligibility/{orderId}")).StatusCode == HttpStatusCode.OK
                && (await customer.GetFromJsonAsync<JsonElement>($"/api/returns/eligibility/{orderId}")).GetProperty("eligible").GetBoolean(),
            ok => ok,
            "Returns to hear that the order was paid and delivered");
        return (orderId, sku);
    }

    public static Task<HttpResponseMessage> SubmitAsync(HttpClient customer, Guid orderId, string sku, int quantity, string preferred = "REFUND", string reason = "DEFECTIVE") =>
        customer.PostAsJsonAsync("/api/returns", new { orderId, items = new[] { new { sku, quantity } }, reason, preferredOutcome = preferred });

    public static async Task<string> SubmitCodeAsync(HttpClient customer, Guid orderId, string sku, int quantity, string preferred = "REFUND")
    {
        var response = await SubmitAsync(customer, orderId, sku, quantity, preferred);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()!;
    }

    public static async Task<JsonElement> DetailAsync(HttpClient client, string code)
    {
        var response = await client.GetAsync($"/api/returns/{code}");
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static Task<HttpResponseMessage> StaffAsync(HttpClient staff, string code, string action, object? body = null) =>
        staff.PostAsJsonAsync($"/api/staff/returns/{code}/{action}", body ?? new { });

    public static async Task OkAsync(Task<HttpResponseMessage> call, string what)
    {
        var response = await call;
        response.IsSuccessStatusCode.ShouldBeTrue($"{what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public static Task<HttpResponseMessage> UploadAsync(HttpClient client, string code, byte[] content, string contentType = "image/jpeg")
    {
        var body = new ByteArrayContent(content);
        body.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return client.PostAsync($"/api/returns/{code}/photos", body);
    }

    private static byte[] BuildPng()
    {
        var chunks = new List<byte>();
        chunks.AddRange([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        AddChunk(chunks, "IHDR", [0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
        AddChunk(chunks, "tEXt", [.. "Author\0Ann at 1 Main St"u8.ToArray()]);
        AddChunk(chunks, "IDAT", [0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0x00, 0x00, 0x03, 0x01, 0x01, 0x00]);
        AddChunk(chunks, "IEND", []);
        return [.. chunks];
    }

    private static void AddChunk(List<byte> png, string type, byte[] data)
    {
        var length = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(length, (uint)data.Length);
        png.AddRange(length);
        png.AddRange(System.Text.Encoding.ASCII.GetBytes(type));
        png.AddRange(data);
        png.AddRange([0, 0, 0, 0]); // CRC is not checked by the stripper; browsers may complain, the test does not render it
    }
}
