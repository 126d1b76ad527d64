using System.Net;
using System.Text.RegularExpressions;
using Retail.Host.FunctionalTests.Infrastructure;

namespace Retail.Host.FunctionalTests.Returns;

/// <summary>
/// Staff working a filtered page of a returns queue open a return, act on it, and go back to the queue they came from
/// (team, stage, search, overdue filter and page), not to the first page of their default queue.
/// </summary>
public sealed partial class StaffReturnsQueueNavigationTests(RetailAppFactory factory) : IClassFixture<RetailAppFactory>
{
    [Fact]
    public async Task A_return_opened_from_a_filtered_queue_leads_back_to_that_queue_before_and_after_an_action()
    {
        using var customer = await ReturnsApi.NewCustomerAsync(factory);
        var (orderId, sku) = await ReturnsApi.DeliveredOrderAsync(factory, customer, quantity: 1);
        var code = await ReturnsApi.SubmitCodeAsync(customer, orderId, sku, 1);
        using var support = await factory.SignedInBrowserAsync(Users.Support);
        var queue = $"/staff/returns?team=support&status=SUBMITTED&search={code}&overdue=false&page=1";

        var queueHtml = await support.GetStringAsync(queue);
        var opened = WebUtility.HtmlDecode(RowLink(code).Match(queueHtml).Groups[1].Value);
        opened.ShouldStartWith($"/staff/returns/{code}?");
        var details = await support.GetStringAsync(opened);
        CrumbOf(details).ShouldBe(queue);

        var approveForm = Regex.Matches(details, "<form[^>]*>").Select(m => m.Value).Single(f => f.Contains("data-action=\"approve\"", StringComparison.Ordinal));
        var approve = Regex.Match(approveForm, "\\baction=\"([^\"]*)\"");
        approve.Success.ShouldBeTrue($"the approve form has an action: {approveForm}");
        var approved = await support.PostAsync(WebUtility.HtmlDecode(approve.Groups[1].Value), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["action"] = "approve",
            ["version"] = "1",
            ["__RequestVerificationToken"] = Html.AntiforgeryToken(details),
        }));

        approved.StatusCode.ShouldBe(HttpStatusCode.Redirect, Html.Text(await approved.Content.ReadAsStringAsync()));
        approved.RedirectTarget().PathAndQuery.ShouldBe(opened);
        var after = await support.GetStringAsync(approved.RedirectTarget().PathAndQuery);
        Html.ElementText(after, "return-status").ShouldBe("APPROVED");
        CrumbOf(after).ShouldBe(queue);
    }

    [Fact]
    public async Task A_return_opened_directly_leads_back_to_the_queue_page()
    {
        using var customer = await ReturnsApi.NewCustomerAsync(factory);
        var (orderId, sku) = await ReturnsApi.DeliveredOrderAsync(factory, customer, quantity: 1);
        var code = await ReturnsApi.SubmitCodeAsync(customer, orderId, sku, 1);
        using var support = await factory.SignedInBrowserAsync(Users.Support);

        CrumbOf(await support.GetStringAsync($"/staff/returns/{code}")).ShouldBe("/staff/returns");
    }

    private static Regex RowLink(string code) => new($"""<tr data-return-code="{Regex.Escape(code)}"[^>]*>\s*<td><a href="([^"]*)">""");

    private static string CrumbOf(string html)
    {
        var crumb = Crumb().Match(html);
        crumb.Success.ShouldBeTrue("the page has a crumb back to the queue");
        return WebUtility.HtmlDecode(crumb.Groups[1].Value);
    }

    [GeneratedRegex("""<nav class="crumbs"><a href="([^"]*)">""")]
    private static partial Regex Crumb();
}
