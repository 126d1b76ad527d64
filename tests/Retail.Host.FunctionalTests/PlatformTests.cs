using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FluentValidation;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders.Physical;
using Microsoft.Extensions.Primitives;
using Retail.BuildingBlocks.Infrastructure.Persistence;
using Retail.Host.FunctionalTests.Infrastructure;
using Retail.Modules.Catalog.IntegrationEvents;
using Retail.Modules.Ordering.Application.Orders.PlaceOrder;

namespace Retail.Host.FunctionalTests;

/// <summary>Errors, health, metrics, OpenAPI and security headers of the whole pipeline.</summary>
public sealed class PlatformTests(RetailAppFactory factory) : IClassFixture<RetailAppFactory>
{
    [Fact]
    public async Task The_test_settings_reach_Program_at_registration_time()
    {
        using var client = factory.AnonymousApi();
        (await client.GetAsync("/health/live")).EnsureSuccessStatusCode();

        File.Exists(factory.DatabasePath).ShouldBeTrue("the SQLite file should be created in the test's temp folder");
        using var scope = factory.Services.CreateScope();
        foreach (var module in new[] { "catalog", "identity" })
        {
            var db = scope.ServiceProvider.GetRequiredKeyedService<ModuleDbContext>(module);
            db.Database.GetConnectionString().ShouldBe($"Data Source={factory.DatabasePath}");
        }
    }

    [Fact]
    public async Task Every_module_with_an_outbox_has_its_sweep_and_its_nightly_retention_jobs_and_partner_logs_theirs()
    {
        using var client = factory.AnonymousApi();
        (await client.GetAsync("/health/live")).EnsureSuccessStatusCode(); // the host has started its hosted services

        using var connection = factory.Services.GetRequiredService<Hangfire.JobStorage>().GetConnection();
        var jobs = connection.GetRecurringJobs().ToDictionary(j => j.Id, j => j.Cron);
        var modules = factory.Services.GetServices<ModuleDatabase>().Where(m => m.HasOutbox).Select(m => m.Schema).ToList();

        modules.ShouldNotBeEmpty();
        modules.ShouldAllBe(m => jobs.ContainsKey($"outbox-sweep-{m}") && jobs[$"outbox-retention-{m}"] == "17 3 * * *");
        modules.ShouldAllBe(m => jobs[$"idempotency-retention-{m}"] == "37 3 * * *");
        jobs["partners-retention"].ShouldBe("27 3 * * *");
    }

    [Fact]
    public async Task Ordering_runs_its_payment_retry_and_its_interrupted_checkout_recovery_every_minute()
    {
        using var client = factory.AnonymousApi();
        (await client.GetAsync("/health/live")).EnsureSuccessStatusCode();

        using var connection = factory.Services.GetRequiredService<Hangfire.JobStorage>().GetConnection();
        var jobs = connection.GetRecurringJobs().ToDictionary(j => j.Id, j => j.Cron);

        jobs["ordering-payment-retry"].ShouldBe("* * * * *");
        jobs["ordering-interrupted-checkouts"].ShouldBe("* * * * *");
        using var scope = factory.Services.CreateScope();
        scope.ServiceProvider.GetRequiredService<Retail.Modules.Ordering.Infrastructure.Jobs.InterruptedCheckoutJob>().ShouldNotBeNull();
    }

    [Fact]
    public void Validators_are_built_once_not_per_request()
    {
        // The container validates scopes here (RetailAppFactory), so a singleton validator that asked for a scoped
        // service in its constructor would already have failed the host's start.
        using var first = factory.Services.CreateScope();
        using var second = factory.Services.CreateScope();

        foreach (var validatorType in new[] { typeof(IValidator<PlaceOrderCommand>), typeof(IValidator<FindUnknownSkus>) })
        {
            first.ServiceProvider.GetServices(validatorType).ShouldHaveSingleItem().ShouldBeSameAs(second.ServiceProvider.GetServices(validatorType).Single());
        }
    }

    [Fact]
    public void Settings_files_are_polled_for_changes_so_database_writes_under_the_content_root_are_not_watched()
    {
        var configuration = (IConfigurationRoot)factory.Services.GetRequiredService<IConfiguration>();

        var reloading = configuration.Providers.OfType<FileConfigurationProvider>().Where(p => p.Source.ReloadOnChange).ToList();

        reloading.ShouldNotBeEmpty("appsettings.json should still reload when it changes");
        // A file-system watcher alone hands out CancellationChangeTokens (and watches the whole tree); polling adds its own.
        reloading.ShouldAllBe(p => p.Source.FileProvider!.Watch(p.Source.Path!) is CompositeChangeToken
            && ((CompositeChangeToken)p.Source.FileProvider!.Watch(p.Source.Path!)).ChangeTokens.Any(t => t is PollingFileChangeToken));
    }

    [Fact]
    public async Task Malformed_json_is_a_400_problem_with_code_and_trace_id_and_no_exception_text()
    {
        using var client = await factory.ApiClientAsync(Users.Catalog);
        using var body = new StringContent("{ \"sku\": \"BAD-JSON\", \"name\": ", Encoding.UTF8, "application/json");

        var response = await client.PostAsync("/api/catalog/products", body);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        var text = await response.Content.ReadAsStringAsync();
        using var problem = JsonDocument.Parse(text);
        problem.RootElement.GetProperty("status").GetInt32().ShouldBe(400);
        problem.RootElement.GetProperty("code").GetString().ShouldNotBeNullOrWhiteSpace();
        problem.RootElement.GetProperty("traceId").GetString().ShouldNotBeNullOrWhiteSpace();
        Html.ShouldNotLeakExceptionDetails(text);
        text.ShouldNotContain("System.");
        text.ShouldNotContain("Json", Case.Sensitive);
    }

    [Fact]
    public async Task A_number_sent_as_a_json_string_to_an_api_is_a_400_problem_and_changes_nothing()
    {
        using var client = await factory.ApiClientAsync(Users.Catalog);
        var sku = CatalogApi.NewSku();
        using var body = new StringContent($$"""{"sku":"{{sku}}","name":"String price","category":"garden","price":"12.50","initialStock":"3","isActive":true}""",
            Encoding.UTF8, "application/json");

        var response = await client.PostAsync("/api/catalog/products", body);

        // The web JSON defaults read "12.50" as 12.50: one way for every API, the partner webhook's strict numbers.
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, text);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        using var problem = JsonDocument.Parse(text);
        problem.RootElement.GetProperty("code").GetString().ShouldBe("validation_failed");
        problem.RootElement.GetProperty("errors").EnumerateObject().Select(e => e.Name).ShouldBe(["price"], "the first value that cannot be read is named");
        (await client.GetAsync($"/api/catalog/products/{sku}")).StatusCode.ShouldBe(HttpStatusCode.NotFound, "nothing was created");
    }

    public static TheoryData<string, string, string, string?, string, string> UnreadableValues => new()
    {
        // user, method, path, JSON body, the field the problem names, words of its message
        { Users.Customer, "POST", "/api/checkout", """{"items":[{"sku":"A-1","quantity":"seven"}]}""", "items[0].quantity", "whole number" },
        { Users.Customer, "POST", "/api/checkout", """{"items":[{"sku":"A-1","quantity":10000000000}]}""", "items[0].quantity", "whole number" },
        { Users.Customer, "POST", "/api/checkout", """{"items":[{"sku":"A-1","quantity":1.5}]}""", "items[0].quantity", "whole number" },
        { Users.Customer, "POST", "/api/checkout", """{"items":[{"sku":"A-1","quantity":1}],"storeCredit":1e40}""", "storeCredit", "number" },
        { Users.Customer, "POST", "/api/cart/items", """{"sku":"A-1","quantity":"seven"}""", "quantity", "whole number" },
        { Users.Customer, "POST", "/api/cart/items", """{"sku":"A-1","quantity":"5"}""", "quantity", "without quotes" },
        { Users.Customer, "GET", "/api/orders?page=seven", null, "page", "whole number" },
        { Users.Admin, "GET", "/api/monitoring/logs?take=seven", null, "take", "whole number" },
        { Users.Admin, "GET", "/api/monitoring/logs?take=99999999999", null, "take", "whole number" },
    };

    [Theory]
    [MemberData(nameof(UnreadableValues))]
    public async Task A_value_an_api_cannot_read_is_a_400_validation_problem_naming_the_field(string user, string method, string path, string? json, string field, string words)
    {
        using var client = await factory.ApiClientAsync(user);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        var response = await client.SendAsync(request);

        // It said only "bad_request: The request could not be read", leaving the caller to guess which value was wrong.
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, text);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        using var problem = JsonDocument.Parse(text);
        problem.RootElement.GetProperty("code").GetString().ShouldBe("validation_failed");
        problem.RootElement.GetProperty("traceId").GetString().ShouldNotBeNullOrWhiteSpace();
        var errors = problem.RootElement.GetProperty("errors").EnumerateObject().ToList();
        errors.Select(e => e.Name).ShouldBe([field]);
        errors[0].Value.EnumerateArray().Single().GetString()!.ShouldContain(words);
        text.ShouldNotContain("System.");
        text.ShouldNotContain("seven", customMessage: "the value sent is not echoed back");
    }

    [Fact]
    public async Task A_huge_unreadable_value_is_not_echoed_back_and_the_problem_stays_small()
    {
        using var client = await factory.ApiClientAsync(Users.Customer);
        var junk = new string('x', 200_000);
        using var body = new StringContent($$"""{"sku":"A-1","quantity":"{{junk}}"}""", Encoding.UTF8, "application/json");

        var response = await client.PostAsync("/api/cart/items", body);

        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        text.Length.ShouldBeLessThan(1000);
        JsonDocument.Parse(text).RootElement.GetProperty("errors").GetProperty("quantity").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task Health_live_answers_200_json()
    {
        using var client = factory.AnonymousApi();

        var response = await client.GetAsync("/health/live");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/json");
        using var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        report.RootElement.GetProperty("status").GetString().ShouldBe("Healthy");
    }

    [Fact]
    public async Task Health_ready_answers_200_with_the_database_redis_and_jobs_checks()
    {
        using var client = factory.AnonymousApi();

        var response = await client.GetAsync("/health/ready");

        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/json");
        using var report = JsonDocument.Parse(text);
        report.RootElement.GetProperty("status").GetString().ShouldBe("Healthy");
        var checks = report.RootElement.GetProperty("checks").EnumerateArray()
            .ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("status").GetString());
        checks.Keys.ShouldBe(["database", "redis", "jobs"], ignoreOrder: true);
        checks.Values.ShouldAllBe(status => status == "Healthy");
    }

    [Fact]
    public async Task Metrics_are_served_in_prometheus_text_format_with_http_request_durations()
    {
        using var client = factory.AnonymousApi();
        (await client.GetAsync("/api/catalog/products?pageSize=1")).EnsureSuccessStatusCode();

        // The request's duration is recorded after its response went out, and scrapes are cached briefly: poll.
        var metrics = await Eventually.WaitForAsync(
            async () =>
            {
                var response = await client.GetAsync("/metrics");
                response.StatusCode.ShouldBe(HttpStatusCode.OK);
                response.Content.Headers.ContentType?.MediaType.ShouldBe("text/plain");
                return await response.Content.ReadAsStringAsync();
            },
            text => text.Contains("http_server_request_duration", StringComparison.Ordinal),
            "the request duration histogram on /metrics");

        metrics.ShouldContain("# TYPE http_server_request_duration_seconds histogram");
    }

    [Fact]
    public async Task The_openapi_document_lists_the_catalog_api()
    {
        using var client = factory.AnonymousApi();

        var response = await client.GetAsync("/openapi/v1.json");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var paths = document.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        paths.ShouldContain("/api/catalog/products");
        paths.ShouldContain("/api/catalog/products/{sku}");
    }

    [Fact]
    public async Task Pages_carry_the_security_headers_and_a_content_security_policy()
    {
        using var client = factory.Browser();

        var response = await client.GetAsync("/catalog");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.GetValues("X-Content-Type-Options").ShouldBe(["nosniff"]);
        response.Headers.GetValues("X-Frame-Options").ShouldBe(["DENY"]);
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        csp.ShouldContain("default-src 'self'");
        csp.ShouldContain("frame-ancestors 'none'");
        csp.ShouldNotContain("unsafe-inline");
    }

    public static TheoryData<string, string, string?> ResponsesOfEveryKind => new()
    {
        // method, path, JSON body
        { "GET", "/css/site.css", null },
        { "GET", "/catalog", null },
        { "GET", "/no/such/page", null },
        { "GET", "/api/catalog/categories", null },
        { "GET", "/api/catalog/nothing-here", null },
        { "DELETE", "/api/catalog/categories", null },
        // Answered by the exception handler, which clears the response before writing the problem.
        { "POST", "/api/catalog/products", "{ \"sku\": " },
        { "POST", "/api/catalog/products", "{\"sku\":\"X\",\"price\":\"1\"}" },
        { "GET", "/health/live", null },
        { "GET", "/metrics", null },
    };

    [Theory]
    [MemberData(nameof(ResponsesOfEveryKind))]
    public async Task Every_response_carries_the_security_headers(string method, string path, string? json)
    {
        using var client = await factory.ApiClientAsync(Users.Catalog);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        var response = await client.SendAsync(request);

        response.Headers.TryGetValues("X-Content-Type-Options", out var nosniff).ShouldBeTrue($"{method} {path} ({(int)response.StatusCode}) has no X-Content-Type-Options");
        nosniff.ShouldBe(["nosniff"]);
        response.Headers.GetValues("X-Frame-Options").ShouldBe(["DENY"]);
        response.Headers.GetValues("Referrer-Policy").ShouldBe(["strict-origin-when-cross-origin"]);
        response.Headers.Contains("Content-Security-Policy").ShouldBeTrue($"{method} {path} has no Content-Security-Policy");
    }

    [Fact]
    public async Task Api_responses_carry_nosniff()
    {
        using var client = factory.AnonymousApi();

        var response = await client.GetAsync("/api/catalog/categories");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.GetValues("X-Content-Type-Options").ShouldBe(["nosniff"]);
    }

    [Fact]
    public async Task An_unknown_page_is_a_friendly_404_with_a_reference_id()
    {
        using var client = factory.Browser();

        var response = await client.GetAsync("/no/such/page");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("text/html");
        var html = await response.Content.ReadAsStringAsync();
        html.ShouldContain("Page not found");
        Html.ShouldBeFriendlyErrorPage(html);
        response.Headers.Contains("Content-Security-Policy").ShouldBeTrue();
    }

    [Theory]
    [InlineData("GET", "/Error")]
    [InlineData("GET", "/error")]
    [InlineData("GET", "/Error?statusCode=500")]
    [InlineData("POST", "/Error")]
    public async Task A_direct_visit_to_the_error_page_is_a_friendly_404_not_a_500(string method, string path)
    {
        using var client = factory.Browser();

        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        // Nothing failed: a 500 told crawlers and uptime checks the site was broken. The page has no content of its own.
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("text/html");
        var html = await response.Content.ReadAsStringAsync();
        html.ShouldContain("Page not found");
        html.ShouldNotContain("Something went wrong");
        Html.ShouldBeFriendlyErrorPage(html);
    }

    [Fact]
    public async Task An_unknown_api_route_is_a_404_not_an_html_page()
    {
        using var client = factory.AnonymousApi();

        var response = await client.GetAsync("/api/catalog/nothing-here");

        // Deny-by-default answers 401 before routing can say 404; either way an API never gets the HTML error page.
        response.StatusCode.ShouldBeOneOf(HttpStatusCode.NotFound, HttpStatusCode.Unauthorized);
        (response.Content.Headers.ContentType?.MediaType ?? "").ShouldNotBe("text/html");
    }

    [Fact]
    public async Task A_method_an_api_route_does_not_take_is_a_405_problem_naming_the_methods_it_does()
    {
        using var client = factory.AnonymousApi();

        var response = await client.DeleteAsync("/api/catalog/categories");

        // Not the 404 "no such route" a client would then look for under another address.
        response.StatusCode.ShouldBe(HttpStatusCode.MethodNotAllowed);
        response.Content.Headers.Allow.ShouldBe(["GET"]);
        await ShouldBeProblemAsync(response, 405, "method_not_allowed");
    }

    [Fact]
    public async Task A_body_that_is_not_json_on_a_json_api_is_a_415_problem()
    {
        using var client = await factory.ApiClientAsync(Users.Catalog);
        using var body = new StringContent("sku=TXT-1&name=Plain", Encoding.UTF8, "text/plain");

        var response = await client.PostAsync("/api/catalog/products", body);

        response.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        await ShouldBeProblemAsync(response, 415, "unsupported_media_type");
        (await client.GetAsync("/api/catalog/products/TXT-1")).StatusCode.ShouldBe(HttpStatusCode.NotFound, "nothing was created");
    }

    [Theory]
    [InlineData("/api/catalog/nothing-here", "text/html", 404, "not_found")]
    [InlineData("/api/cart", "application/xml", 401, "unauthorized")]
    public async Task An_api_error_is_a_json_problem_whatever_the_client_accepts(string path, string accept, int status, string code)
    {
        using var client = factory.AnonymousApi();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd(accept);

        var response = await client.SendAsync(request);

        // A browser opening an API address, or a client that asks for XML, must still learn the code and the reference.
        ((int)response.StatusCode).ShouldBe(status);
        await ShouldBeProblemAsync(response, status, code);
    }

    private static async Task ShouldBeProblemAsync(HttpResponseMessage response, int status, string code)
    {
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        problem.RootElement.GetProperty("status").GetInt32().ShouldBe(status);
        problem.RootElement.GetProperty("code").GetString().ShouldBe(code);
        problem.RootElement.GetProperty("traceId").GetString().ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task The_home_page_shows_categories_and_featured_products()
    {
        using var client = factory.Browser();

        var response = await client.GetAsync("/");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await response.Content.ReadAsStringAsync();
        html.ShouldContain("/catalog?category=books");
        html.ShouldContain("href=\"/catalog/product/");
        var categories = await CatalogApi.GetCategoriesAsync(client);
        categories.Count.ShouldBeGreaterThanOrEqualTo(8);
        var json = await client.GetFromJsonAsync<JsonElement>("/api/catalog/categories");
        json.ValueKind.ShouldBe(JsonValueKind.Array);
    }
}
