namespace Retail.BuildingBlocks.Infrastructure.Email;

/// <summary>Configuration section <c>Email</c>.</summary>
public sealed class EmailOptions
{
    public const string SectionName = "Email";

    /// <summary>The sender address (<c>Email:From</c>), e.g. <c>Retail &lt;no-reply@retail.local&gt;</c>.</summary>
    public string From { get; set; } = "Retail <no-reply@retail.local>";

    /// <summary>Folder of the <c>.eml</c> files when no SMTP host is configured (<c>Email:PickupFolder</c>).</summary>
    public string PickupFolder { get; set; } = "./data/mail";

    public SmtpOptions Smtp { get; set; } = new();
}

/// <summary>Configuration section <c>Email:Smtp</c>; the sender is SMTP exactly when <see cref="Host"/> is set.</summary>
public sealed class SmtpOptions
{
    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    /// <summary>true: STARTTLS is required; false: a plain connection (local relays, test servers).</summary>
    public bool UseStartTls { get; set; } = true;

    /// <summary>Authenticates when set (with <see cref="Password"/>); both come from configuration only (user secrets, environment).</summary>
    public string? User { get; set; }

    public string? Password { get; set; }

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
