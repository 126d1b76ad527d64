using System.Globalization;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;
using Retail.BuildingBlocks.Application.Abstractions;

namespace Retail.BuildingBlocks.Infrastructure.Email;

internal static class MimeMessages
{
    public static MimeMessage From(EmailMessage message, EmailOptions options, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(message);
        var mime = new MimeMessage { Subject = message.Subject, Date = now };
        mime.From.Add(MailboxAddress.Parse(options.From));
        mime.To.Add(MailboxAddress.Parse(message.To));
        var body = new BodyBuilder { TextBody = message.TextBody, HtmlBody = message.HtmlBody };
        mime.Body = body.ToMessageBody();
        return mime;
    }
}

/// <summary>The embedded default: every message becomes an <c>.eml</c> file (time + Guid) in <see cref="EmailOptions.PickupFolder"/>.</summary>
internal sealed class PickupFolderEmailSender(IOptions<EmailOptions> options, TimeProvider time, ILogger<PickupFolderEmailSender> logger) : IEmailSender
{
    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        var mime = MimeMessages.From(message, settings, now);
        var folder = Path.GetFullPath(settings.PickupFolder);
        Directory.CreateDirectory(folder);
        var name = string.Create(CultureInfo.InvariantCulture, $"{now:yyyyMMdd'T'HHmmssfff'Z'}-{Guid.NewGuid():N}.eml");
        var path = Path.Combine(folder, name);
        // Written under a temporary name and moved, so a reader of the folder never sees half a message.
        var temporary = path + ".tmp";
        await mime.WriteToAsync(temporary, cancellationToken);
        File.Move(temporary, path);
        logger.LogInformation("Email {Subject} to {To} written to {Path}", message.Subject, message.To, path);
    }
}

/// <summary>SMTP through MailKit, one connection per message.</summary>
internal sealed class SmtpEmailSender(IOptions<EmailOptions> options, TimeProvider time, ILogger<SmtpEmailSender> logger) : IEmailSender
{
    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var smtp = settings.Smtp;
        var mime = MimeMessages.From(message, settings, time.GetUtcNow());
        using var client = new SmtpClient { Timeout = (int)smtp.Timeout.TotalMilliseconds };
        var host = smtp.Host ?? throw new InvalidOperationException("Email:Smtp:Host is not configured.");
        await client.ConnectAsync(host, smtp.Port, smtp.UseStartTls ? SecureSocketOptions.StartTls : SecureSocketOptions.None, cancellationToken);
        if (!string.IsNullOrEmpty(smtp.User))
        {
            await client.AuthenticateAsync(smtp.User, smtp.Password ?? "", cancellationToken);
        }

        await client.SendAsync(mime, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
        logger.LogInformation("Email {Subject} to {To} sent through {Host}:{Port}", message.Subject, message.To, smtp.Host, smtp.Port);
    }
}

public static class EmailServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IEmailSender"/>: MailKit SMTP when <c>Email:Smtp:Host</c> is set, otherwise the pickup folder
    /// (<c>Email:PickupFolder</c>, default <c>./data/mail</c>).
    /// </summary>
    public static IServiceCollection AddRetailEmail(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(EmailOptions.SectionName);
        services.Configure<EmailOptions>(section);
        if (string.IsNullOrWhiteSpace(section["Smtp:Host"]))
        {
            services.AddSingleton<IEmailSender, PickupFolderEmailSender>();
        }
        else
        {
            services.AddSingleton<IEmailSender, SmtpEmailSender>();
        }

        return services;
    }
}
