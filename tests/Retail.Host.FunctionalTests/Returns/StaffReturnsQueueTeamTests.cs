using System.Net;
using System.Text.Json;
using Retail.Host.FunctionalTests.Infrastructure;

namespace Retail.Host.FunctionalTests.Returns;

/// <summary>
/// The staff returns queue's team: any case names the same team; a team the user is not in is refused (403, with the
/// reference id), an unknown team is a 400 with the reference id. Neither silently shows another team's queue.
/// </summary>
public sealed class StaffReturnsQueueTeamTests(RetailAppFactory factory) : IClassFixture<RetailAppFactory>
{
    [Fact]
    public async Task A_team_in_another_case_is_that_teams_queue()
    {
        using var admin = await factory.SignedInBrowserAsync(Users.Admin);

        var response = await admin.GetAsync("/staff/returns?team=Finance");

        var html = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, Html.Text(html));
        Html.Text(html).ShouldContain("Finance queue");
        html.ShouldContain("data-stage=\"DISPOSITION\"");
        html.ShouldNotContain("data-stage=\"SUBMITTED\"", customMessage: "not the support queue");
        html.ShouldContain("<input type=\"hidden\" name=\"team\" value=\"finance\" />", Case.Sensitive, "the filters keep the team it named");

        using var finance = await factory.ApiClientAsync(Users.Finance);
        using var queue = JsonDocument.Parse(await finance.GetStringAsync("/api/staff/returns?team=FINANCE"));
        queue.RootElement.GetProperty("team").GetString().ShouldBe("finance");
    }

    [Theory]
    [InlineData("finance")]
    [InlineData("Warehouse")]
    public async Task A_team_the_user_is_not_in_is_a_403_with_the_reference_not_their_own_queue(string team)
    {
        using var customer = await ReturnsApi.NewCustomerAsync(factory);
        var (orderId, sku) = await ReturnsApi.DeliveredOrderAsync(factory, customer, quantity: 1);
        var code = await ReturnsApi.SubmitCodeAsync(customer, orderId, sku, 1);
        using var support = await factory.SignedInBrowserAsync(Users.Support);

        var response = await support.GetAsync($"/staff/returns?team={team}&search={code}");

        var html = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden, Html.Text(html));
        Html.ShouldNotLeakExceptionDetails(html);
        var text = Html.Text(html);
        text.ShouldContain("Reference:");
        text.ShouldContain($"You are not in the {team.ToLowerInvariant()} team");
        html.ShouldNotContain("id=\"stage-counts\"");
        html.ShouldNotContain($"data-return-code=\"{code}\"");
        html.ShouldContain("data-team=\"support\"", customMessage: "the tab of their own queue is still there");

        using var api = await factory.ApiClientAsync(Users.Support);
        var refused = await api.GetAsync($"/api/staff/returns?team={team}");
        var body = await refused.Content.ReadAsStringAsync();
        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden, body);
        using var problem = JsonDocument.Parse(body);
        problem.RootElement.GetProperty("code").GetString().ShouldBe("returns.wrong_team");
    }

    [Fact]
    public async Task An_unknown_team_is_a_400_with_the_reference_and_no_queue()
    {
        using var support = await factory.SignedInBrowserAsync(Users.Support);

        var response = await support.GetAsync("/staff/returns?team=marketing");

        var html = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, Html.Text(html));
        var text = Html.Text(html);
        text.ShouldContain("Reference:");
        text.ShouldContain("Team is support, warehouse or finance.");
        html.ShouldNotContain("id=\"stage-counts\"");
    }
}
