using System.Net;
using System.Text.Json;
using Retail.Host.FunctionalTests.Infrastructure;

namespace Retail.Host.FunctionalTests.Monitoring;

/// <summary>Bad query values on the monitoring APIs: 400 with a problem body naming the field.</summary>
public sealed class MonitoringInputTests(RetailAppFactory factory) : IClassFixture<RetailAppFactory>
{
    [Theory]
    [InlineData("/api/monitoring/logs?level=Debug,Information", "Level")]
    [InlineData("/api/monitoring/logs?level=3", "Level")]
    [InlineData("/api/monitoring/logs?level=%20Warning,Error", "Level")]
    [InlineData("/api/monitoring/dashboard?logLevel=1", "LogLevel")]
    [InlineData("/api/monitoring/dashboard?logLevel=Trace,Critical", "LogLevel")]
    public async Task A_log_level_that_is_not_one_of_the_names_is_refused_with_400(string url, string field)
    {
        using var admin = await factory.ApiClientAsync(Users.Admin);

        var response = await admin.GetAsync(url);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, await response.Content.ReadAsStringAsync());
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        problem.RootElement.GetProperty("errors").GetProperty(field)[0].GetString().ShouldBe("Level must be one of Trace, Debug, Information, Warning, Error, Critical.");
    }

    [Theory]
    [InlineData("/api/monitoring/logs?level=warning")]
    [InlineData("/api/monitoring/logs?level=Critical")]
    [InlineData("/api/monitoring/logs?level=")]
    [InlineData("/api/monitoring/dashboard?logLevel=Error")]
    public async Task The_level_names_are_still_accepted(string url)
    {
        using var admin = await factory.ApiClientAsync(Users.Admin);

        (await admin.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
