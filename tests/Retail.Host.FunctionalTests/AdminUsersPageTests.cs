using System.Collections.Concurrent;
using System.Data.Common;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
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

/// <summary>The users page loads the roles of its users in one query, not one per listed user.</summary>
public sealed class AdminUsersPageQueryCountTests(AdminUsersPageQueryCountTests.CountingAppFactory factory) : IClassFixture<AdminUsersPageQueryCountTests.CountingAppFactory>
{
    [Fact]
    public async Task A_page_of_users_loads_their_roles_with_one_query_and_shows_them()
    {
        using var admin = await factory.SignedInBrowserAsync(Users.Admin);
        factory.Commands.Clear();

        var response = await admin.GetAsync("/admin/users?page=1");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await response.Content.ReadAsStringAsync();
        var rows = Html.TableRows(html);
        rows.Count.ShouldBeGreaterThan(2, "the seeded users fill more than two rows, so one query per user would show");
        var roleQueries = factory.Commands.Where(sql => sql.Contains("UserRoles", StringComparison.Ordinal)).ToList();
        roleQueries.Count.ShouldBe(1, string.Join("\n---\n", roleQueries));
        rows.ShouldContain(r => r.Contains(Users.Catalog) && r.Contains("catalog-admin"), "each user is listed with their roles");
        rows.ShouldContain(r => r.Contains(Users.Customer) && r.Contains("customer Active"), "each user is listed with their own roles only");
    }

    /// <summary>The app with every SQL command it runs written down.</summary>
    public sealed class CountingAppFactory : RetailAppFactory
    {
        public ConcurrentQueue<string> Commands { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton<IInterceptor>(new CommandLog(Commands)));
        }
    }

    private sealed class CommandLog(ConcurrentQueue<string> commands) : DbCommandInterceptor
    {
        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            commands.Enqueue(command.CommandText);
            return ValueTask.FromResult(result);
        }

        public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
        {
            commands.Enqueue(command.CommandText);
            return result;
        }
    }
}
