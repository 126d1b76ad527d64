using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.Host.FunctionalTests.Infrastructure;
using Retail.Testing;

namespace Retail.Host.FunctionalTests;

/// <summary>The app whose mail server cannot be reached: every send throws, as SMTP does when the server is down.</summary>
public sealed class UnreachableMailAppFactory : RetailAppFactory
{
    public CapturingLoggerProvider Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<IEmailSender, UnreachableMailServer>();
            services.AddSingleton<ILoggerProvider>(Logs);
        });
    }

    public IReadOnlyList<CapturingLoggerProvider.Entry> NotSent(string text) =>
        [.. Logs.Entries.Where(e => e.Level == LogLevel.Warning && e.Exception is IOException && e.Message.Contains(text, StringComparison.Ordinal))];

    private sealed class UnreachableMailServer : IEmailSender
    {
        public Task SendAsync(EmailMessage message, CancellationToken cancellationToken) =>
            throw new IOException("Connection refused (mail.example.test:587)");
    }
}

/// <summary>
/// "Forgot your password?" while the mail server is down: the same neutral answer as for an unknown address (never the
/// error page, which would also tell that the address has an account), and the failure in the log for the operator.
/// </summary>
public sealed class IdentityAccountEmailFailureTests(UnreachableMailAppFactory factory) : IClassFixture<UnreachableMailAppFactory>
{
    private const string Password = "Mail-Down-Passw0rd!";
    private const string SentMessage = "If an account exists for this email, we have sent it a message with a link to choose a new password.";

    [Fact]
    public async Task A_confirmed_account_gets_the_same_answer_and_the_failed_reset_email_is_logged()
    {
        var before = factory.NotSent("reset").Count;

        var asked = await AppClient.PostFormAsync(factory.Browser(), "/identity/forgot-password", new Dictionary<string, string> { ["Input.Email"] = Users.Customer2 });

        var html = await asked.Content.ReadAsStringAsync();
        asked.StatusCode.ShouldBe(HttpStatusCode.OK, Html.Text(html));
        Html.ElementText(html, "status-message").ShouldContain(SentMessage);
        factory.NotSent("reset").Count.ShouldBe(before + 1);
    }

    [Fact]
    public async Task An_unconfirmed_account_gets_the_same_answer_and_the_failed_confirmation_email_is_logged()
    {
        var email = await RegisterThroughApiAsync();
        var before = factory.NotSent("confirmation").Count;

        var asked = await AppClient.PostFormAsync(factory.Browser(), "/identity/forgot-password", new Dictionary<string, string> { ["Input.Email"] = email });

        var html = await asked.Content.ReadAsStringAsync();
        asked.StatusCode.ShouldBe(HttpStatusCode.OK, Html.Text(html));
        Html.ElementText(html, "status-message").ShouldContain(SentMessage);
        factory.NotSent("confirmation").Count.ShouldBe(before + 1);
    }

    [Fact]
    public async Task The_api_forgot_password_and_resend_confirmation_answer_200_as_for_an_unknown_address()
    {
        var email = await RegisterThroughApiAsync();
        using var api = factory.AnonymousApi();

        var forgot = await api.PostAsJsonAsync("/api/identity/forgotPassword", new { email = Users.Customer });
        var resend = await api.PostAsJsonAsync("/api/identity/resendConfirmationEmail", new { email });

        forgot.StatusCode.ShouldBe(HttpStatusCode.OK, await forgot.Content.ReadAsStringAsync());
        resend.StatusCode.ShouldBe(HttpStatusCode.OK, await resend.Content.ReadAsStringAsync());
    }

    /// <summary>Registration already goes on when the confirmation email fails; the account is unconfirmed.</summary>
    private async Task<string> RegisterThroughApiAsync()
    {
        var email = Users.NewEmail("maildown");
        using var api = factory.AnonymousApi();
        var registered = await api.PostAsJsonAsync("/api/identity/register", new { email, password = Password });
        registered.StatusCode.ShouldBe(HttpStatusCode.OK, await registered.Content.ReadAsStringAsync());
        return email;
    }
}
