using System.Net;
using Retail.Host.FunctionalTests.Infrastructure;

namespace Retail.Host.FunctionalTests;

/// <summary>The admin users page with query values it cannot use: 400, the message and the reference id.</summary>
public sealed class AdminUsersPageTests(RetailAppFactory factory) : IClassFixture<RetailAppFactory>
{
    [Theory]
    [InlineData("/admin/users?search=" + "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz", "must be 100 characters or fewer")]
    [InlineData("/admin/users?page=abc", "abc")]
    [InlineData("/admin/users?page=99999999999", "99999999999")]
    // Pages that bind but are out of range: the query's validation error, as the catalog pages show it (page 0 and -1
    // showed page one as if it had been asked for).
    [InlineData("/admin/users?page=0", "One or more fields are not valid.")]
    [InlineData("/admin/users?page=-1", "One or more fields are not valid.")]
    [InlineData("/admin/users?page=100001", "One or more fields are not valid.")]
    public async Task The_users_page_answers_a_bad_query_with_400_its_message_and_the_reference_id(string url, string message)
    {
        using var admin = await factory.SignedInBrowserAsync(Users.Admin);

        var response = await admin.GetAsync(url);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var text = Html.Text(await response.Content.ReadAsStringAsync());
        text.ShouldContain(message);
        text.ShouldContain("Reference:");
    }

    [Fact]
    public async Task A_good_query_still_lists_the_users_without_an_error()
    {
        using var admin = await factory.SignedInBrowserAsync(Users.Admin);

        var response = await admin.GetAsync("/admin/users?search=admin&page=1");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var text = Html.Text(await response.Content.ReadAsStringAsync());
        text.ShouldContain(Users.Admin);
        text.ShouldNotContain("Reference:");
    }
}
