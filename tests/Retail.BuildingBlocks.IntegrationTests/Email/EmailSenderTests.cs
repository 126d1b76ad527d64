using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.BuildingBlocks.Infrastructure.Email;

namespace Retail.BuildingBlocks.IntegrationTests.Email;

/// <summary>The email registration: the pickup folder writes real, parseable .eml files; an SMTP host switches to MailKit SMTP.</summary>
public sealed class EmailSenderTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "retail-mail-it-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task The_pickup_sender_writes_a_parseable_eml_with_recipient_subject_and_the_encoded_html_body()
    {
        await using var services = Build(new Dictionary<string, string?>
        {
            ["Email:PickupFolder"] = _folder,
            ["Email:From"] = "Retail Shop <shop@retail.test>",
        });
        var sender = services.GetRequiredService<IEmailSender>();
        sender.ShouldBeOfType<PickupFolderEmailSender>();
        var userText = "<script>alert('x')</script> & Co";
        var html = "<p>Hello " + System.Net.WebUtility.HtmlEncode(userText) + "</p>";

        await sender.SendAsync(new EmailMessage("ann@example.test", "Order R1 confirmed", "Hello " + userText, html), CancellationToken.None);
        await sender.SendAsync(new EmailMessage("bob@example.test", "Second", "plain only"), CancellationToken.None);

        var files = Directory.GetFiles(_folder, "*.eml").Order(StringComparer.Ordinal).ToArray();
        files.Length.ShouldBe(2, "one file per message, names never collide");
        Directory.GetFiles(_folder, "*.tmp").ShouldBeEmpty();
        Path.GetFileName(files[0]).ShouldStartWith("20260301T");

        var mime = files.Select(f => MimeMessage.Load(f)).Single(m => m.Subject == "Order R1 confirmed");
        mime.To.Mailboxes.Single().Address.ShouldBe("ann@example.test");
        mime.From.Mailboxes.Single().Address.ShouldBe("shop@retail.test");
        mime.TextBody!.ShouldContain("Hello <script>alert('x')</script> & Co");
        mime.HtmlBody!.ShouldContain("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; Co");
        mime.HtmlBody!.ShouldNotContain("<script>");
        files.Select(f => MimeMessage.Load(f)).Single(m => m.Subject == "Second").HtmlBody.ShouldBeNull();
    }

    [Fact]
    public async Task The_pickup_folder_defaults_to_data_mail()
    {
        await using var services = Build([]);
        services.GetRequiredService<Microsoft.Extensions.Options.IOptions<EmailOptions>>().Value.PickupFolder.ShouldBe("./data/mail");
        services.GetRequiredService<IEmailSender>().ShouldBeOfType<PickupFolderEmailSender>();
    }

    [Fact]
    public async Task An_smtp_host_selects_the_mailkit_sender_with_its_settings()
    {
        await using var services = Build(new Dictionary<string, string?>
        {
            ["Email:Smtp:Host"] = "smtp.example.test",
            ["Email:Smtp:Port"] = "2525",
            ["Email:Smtp:UseStartTls"] = "false",
            ["Email:Smtp:User"] = "mailer",
        });

        services.GetRequiredService<IEmailSender>().ShouldBeOfType<SmtpEmailSender>();
        var smtp = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<EmailOptions>>().Value.Smtp;
        smtp.Port.ShouldBe(2525);
        smtp.UseStartTls.ShouldBeFalse();
        smtp.User.ShouldBe("mailer");
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero)));
        services.AddRetailEmail(configuration);
        return services.BuildServiceProvider();
    }
}
