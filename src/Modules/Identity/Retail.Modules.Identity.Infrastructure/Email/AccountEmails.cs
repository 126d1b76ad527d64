using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.Modules.Identity.Application;
using Retail.Modules.Identity.Infrastructure.Persistence;
using AppEmailSender = Retail.BuildingBlocks.Application.Abstractions.IEmailSender;

namespace Retail.Modules.Identity.Infrastructure.Email;

/// <summary>
/// Absolute links to the account pages for emails: from <c>Identity:PublicBaseUrl</c> when set, otherwise from the
/// address the request came in on (as Identity's own confirmation link is built).
/// </summary>
internal sealed class AccountLinks(IHttpContextAccessor http, IOptions<IdentityModuleOptions> options)
{
    public const string ConfirmEmailPath = "/identity/confirm-email";
    public const string ResetPasswordPath = "/identity/reset-password";

    public string ConfirmEmail(string userId, string code) =>
        $"{BaseUrl()}{ConfirmEmailPath}?userId={Uri.EscapeDataString(userId)}&code={Uri.EscapeDataString(code)}";

    /// <summary>The same page as <see cref="ConfirmEmail"/>: with <c>changedEmail</c> it confirms a change of address.</summary>
    public string ConfirmEmailChange(string userId, string code, string newEmail) =>
        $"{ConfirmEmail(userId, code)}&changedEmail={Uri.EscapeDataString(newEmail)}";

    public string ResetPassword(string email, string code) =>
        $"{BaseUrl()}{ResetPasswordPath}?email={Uri.EscapeDataString(email)}&code={Uri.EscapeDataString(code)}";

    private string BaseUrl()
    {
        if (!string.IsNullOrWhiteSpace(options.Value.PublicBaseUrl))
        {
            return options.Value.PublicBaseUrl.TrimEnd('/');
        }

        var request = http.HttpContext?.Request
            ?? throw new InvalidOperationException("Account emails outside a request need Identity:PublicBaseUrl.");
        // No host check of our own here: ASP.NET Core's host filtering middleware (which WebApplication.CreateBuilder puts
        // first in the pipeline) has already refused a Host that a pinned AllowedHosts does not list, and X-Forwarded-Host
        // is never applied (ForwardedHeadersSetup). With AllowedHosts "*" every Host gets here: AccountLinksStartupCheck
        // warns about that at start. IdentityAccountLinkTests shows both.
        return $"{request.Scheme}://{request.Host.ToUriComponent()}{request.PathBase.ToUriComponent()}";
    }
}

/// <summary>Identity's tokens travel in links and forms Base64url-encoded, exactly as its JSON endpoints expect them.</summary>
internal static class AccountCodes
{
    public static string Encode(string token) => WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(token));

    /// <summary>The token, or null when the code is not Base64url (mistyped or cut off).</summary>
    public static string? Decode(string code)
    {
        try
        {
            return Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(code));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

/// <summary>
/// ASP.NET Core Identity's email sender (its JSON endpoints and our account use cases call it) over the app's
/// <see cref="AppEmailSender"/>: SMTP or the pickup folder. Without it Identity used its built-in no-op and
/// "forgot password" answered 200 while no email ever left. Text the customer chose (the display name) is HTML-encoded.
/// </summary>
internal sealed class IdentityEmailSender(AppEmailSender mail, AccountLinks links) : IEmailSender<RetailUser>
{
    // Identity's interface carries no cancellation token; a send is short (one message) and must not stop half-way.
    public Task SendConfirmationLinkAsync(RetailUser user, string email, string confirmationLink)
    {
        var link = Link(confirmationLink);
        // Our own confirmation links never carry changedEmail: only Identity's manage/info endpoint sends one, to the new
        // address, pointing at its bare confirmEmail endpoint (a line of text, built from the request's Host). The customer
        // gets the confirm page instead, from the same base address as every other account link, and an email that says
        // which change it confirms.
        if (EmailChange.From(link) is { } change)
        {
            return mail.SendAsync(
                ChangeConfirmation(user.DisplayName, email, links.ConfirmEmailChange(change.UserId, change.Code, change.NewEmail)), CancellationToken.None);
        }

        return mail.SendAsync(Confirmation(user.DisplayName, email, link), CancellationToken.None);
    }

    public Task SendPasswordResetLinkAsync(RetailUser user, string email, string resetLink) =>
        mail.SendAsync(Reset(user.DisplayName, email, code: null, Link(resetLink)), CancellationToken.None);

    public Task SendPasswordResetCodeAsync(RetailUser user, string email, string resetCode)
    {
        // Identity HTML-encodes what it passes (a Base64url code has nothing to encode, but the link is ours to encode).
        var code = WebUtility.HtmlDecode(resetCode);
        return mail.SendAsync(Reset(user.DisplayName, email, code, links.ResetPassword(email, code)), CancellationToken.None);
    }

    /// <summary>Identity hands its links over already HTML-encoded (&amp;amp;); the text part needs the link itself.</summary>
    private static string Link(string link) => WebUtility.HtmlDecode(link);

    internal static EmailMessage Confirmation(string displayName, string to, string link)
    {
        var text = $"Hello {displayName},\n\nPlease confirm your email address for your Retail account by opening this link:\n{link}\n\n" +
            "If you did not create an account, ignore this email.\n";
        var html = $"<p>Hello {H(displayName)},</p>\n<p>Please confirm your email address for your Retail account:</p>\n" +
            $"<p><a href=\"{H(link)}\">Confirm my email address</a></p>\n<p>If you did not create an account, ignore this email.</p>\n";
        return new EmailMessage(to, "Confirm your email address", text, html);
    }

    internal static EmailMessage ChangeConfirmation(string displayName, string to, string link)
    {
        var text = $"Hello {displayName},\n\nSomeone (hopefully you) asked to change the email address of your Retail account to this one. " +
            $"To confirm, open this link:\n{link}\n\nUntil then the account keeps its old address. If you did not ask for this, ignore this email.\n";
        var html = $"<p>Hello {H(displayName)},</p>\n<p>Someone (hopefully you) asked to change the email address of your Retail account to this one.</p>\n" +
            $"<p><a href=\"{H(link)}\">Confirm my new email address</a></p>\n<p>Until then the account keeps its old address. If you did not ask for this, ignore this email.</p>\n";
        return new EmailMessage(to, "Confirm your new email address", text, html);
    }

    /// <summary>The parts of Identity's change-of-address link (<c>confirmEmail?userId=…&amp;code=…&amp;changedEmail=…</c>).</summary>
    private sealed record EmailChange(string UserId, string Code, string NewEmail)
    {
        public static EmailChange? From(string link)
        {
            if (!Uri.TryCreate(link, UriKind.Absolute, out var uri))
            {
                return null;
            }

            var query = QueryHelpers.ParseQuery(uri.Query);
            return query.TryGetValue("changedEmail", out var newEmail) && !string.IsNullOrEmpty(newEmail)
                && query.TryGetValue("userId", out var userId) && query.TryGetValue("code", out var code)
                    ? new EmailChange(userId.ToString(), code.ToString(), newEmail.ToString())
                    : null;
        }
    }

    /// <summary>
    /// The staff invitation: the link is the reset page's (its code sets the first password), so it lasts as long as a reset
    /// code does; after that "Forgot your password?" gives a new one.
    /// </summary>
    internal static EmailMessage StaffInvitation(string displayName, string to, string link)
    {
        var text = $"Hello {displayName},\n\nAn admin of the shop has created a Retail staff account for you, which signs in with this email address.\n\n" +
            $"Choose your password here:\n{link}\n\nThe link works for one day. After that, ask for a new one with \"Forgot your password?\" on the sign-in page.\n";
        var html = $"<p>Hello {H(displayName)},</p>\n<p>An admin of the shop has created a Retail staff account for you, which signs in with this email address.</p>\n" +
            $"<p><a href=\"{H(link)}\">Choose my password</a></p>\n<p>The link works for one day. After that, ask for a new one with \"Forgot your password?\" on the sign-in page.</p>\n";
        return new EmailMessage(to, "You have a Retail staff account", text, html);
    }

    internal static EmailMessage Reset(string displayName, string to, string? code, string link)
    {
        var text = new StringBuilder("Hello " + displayName + ",\n\nSomeone (hopefully you) asked to reset the password of your Retail account.\n\n")
            .Append(CultureInfo.InvariantCulture, $"Choose a new password here:\n{link}\n\n");
        var html = new StringBuilder("<p>Hello " + H(displayName) + ",</p>\n<p>Someone (hopefully you) asked to reset the password of your Retail account.</p>\n")
            .Append(CultureInfo.InvariantCulture, $"<p><a href=\"{H(link)}\">Choose a new password</a></p>\n");
        if (code is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"Or enter this reset code: {code}\n\n");
            html.Append(CultureInfo.InvariantCulture, $"<p>Or enter this reset code: <code>{H(code)}</code></p>\n");
        }

        text.Append("If you did not ask for this, ignore this email: your password stays as it is.\n");
        html.Append("<p>If you did not ask for this, ignore this email: your password stays as it is.</p>\n");
        return new EmailMessage(to, "Reset your password", text.ToString(), html.ToString());
    }

    private static string H(string value) => WebUtility.HtmlEncode(value);
}
