using System.Net;
using System.Text.Json;
using Retail.Host.FunctionalTests.Infrastructure;

namespace Retail.Host.FunctionalTests;

/// <summary>
/// The app pointed at a database it cannot open (production mode: no migration at start). It must come up anyway,
/// say it is live but not ready, and answer with friendly errors that leak nothing.
/// </summary>
public sealed class UnavailableDatabaseTests(UnavailableDatabaseAppFactory factory) : IClassFixture<UnavailableDatabaseAppFactory>
{
    [Fact]
    public async Task Live_stays_200_while_ready_is_503_unhealthy_json()
    {
        using var client = factory.AnonymousApi();

        var live = await client.GetAsync("/health/live");
        var ready = await client.GetAsync("/health/ready");

        live.StatusCode.ShouldBe(HttpStatusCode.OK);
        ready.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        ready.Content.Headers.ContentType?.MediaType.ShouldBe("application/json");
        var text = await ready.Content.ReadAsStringAsync();
        using var report = JsonDocument.Parse(text);
        report.RootElement.GetProperty("status").GetString().ShouldBe("Unhealthy");
        var database = report.RootElement.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "database");
        database.GetProperty("status").GetString().ShouldBe("Unhealthy");
        text.ShouldNotContain(UnavailableDatabaseAppFactory.UnreachableDatabase, customMessage: "health output is public: no connection details");
        Html.ShouldNotLeakExceptionDetails(text);
    }

    [Fact]
    public async Task A_page_that_needs_the_database_shows_the_friendly_error_page()
    {
        using var client = factory.Browser();

        var response = await client.GetAsync("/catalog");

        response.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("text/html");
        var html = await response.Content.ReadAsStringAsync();
        Html.Text(html).ShouldContain("Something went wrong on our side. Please try again.");
        Html.ShouldBeFriendlyErrorPage(html);
        html.ShouldNotContain("SQLite", Case.Insensitive);
        html.ShouldNotContain(UnavailableDatabaseAppFactory.UnreachableDatabase);
    }

    [Fact]
    public async Task An_api_that_needs_the_database_answers_a_problem_without_exception_text()
    {
        using var client = factory.AnonymousApi();

        var response = await client.GetAsync("/api/catalog/products");

        var text = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).ShouldBeGreaterThanOrEqualTo(500);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", text);
        using var problem = JsonDocument.Parse(text);
        problem.RootElement.GetProperty("code").GetString().ShouldBe("unexpected");
        problem.RootElement.GetProperty("traceId").GetString().ShouldNotBeNullOrWhiteSpace();
        Html.ShouldNotLeakExceptionDetails(text);
        text.ShouldNotContain("SQLite", Case.Insensitive);
    }

    [Fact]
    public async Task Pages_that_need_no_database_still_work()
    {
        using var client = factory.Browser();

        (await client.GetAsync("/Identity/Login")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.GetAsync("/openapi/v1.json")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
