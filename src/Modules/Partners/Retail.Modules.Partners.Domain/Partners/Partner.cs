using Retail.BuildingBlocks.Domain;

namespace Retail.Modules.Partners.Domain.Partners;

/// <summary>A company that pushes product feeds and stock updates. Its feeds own the products they bring in.</summary>
public sealed class Partner : AggregateRoot<Guid>
{
    public const int MaxNameLength = 100;

    private Partner()
    {
    }

    public string Name { get; private set; } = "";

    public string ContactEmail { get; private set; } = "";

    /// <summary>Where webhook outcomes are posted (signed like the webhook); null when the partner wants none.</summary>
    public string? CallbackUrl { get; private set; }

    /// <summary>Strict: any invalid row rejects the whole feed. Lenient: invalid rows are rejected one by one.</summary>
    public bool StrictMode { get; private set; }

    /// <summary>HMAC-SHA256 key of webhook signatures (both directions). Shown to admins, never to other partners.</summary>
    public string WebhookSecret { get; private set; } = "";

    public bool IsActive { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public static Partner Create(string name, string contactEmail, string? callbackUrl, bool strictMode, string webhookSecret, DateTimeOffset now)
    {
        CheckRule(new PartnerNameMustBePresentRule(name));
        return new Partner
        {
            Id = Guid.NewGuid(),
            Name = name.Trim(),
            ContactEmail = contactEmail.Trim(),
            CallbackUrl = string.IsNullOrWhiteSpace(callbackUrl) ? null : callbackUrl.Trim(),
            StrictMode = strictMode,
            WebhookSecret = webhookSecret,
            IsActive = true,
            CreatedAt = now,
        };
    }

    public void Update(string name, string contactEmail, string? callbackUrl, bool strictMode)
    {
        CheckRule(new PartnerNameMustBePresentRule(name));
        Name = name.Trim();
        ContactEmail = contactEmail.Trim();
        CallbackUrl = string.IsNullOrWhiteSpace(callbackUrl) ? null : callbackUrl.Trim();
        StrictMode = strictMode;
    }

    /// <summary>The id as other modules see it (Catalog's product ownership).</summary>
    public string PublicId => Id.ToString("N");
}

public sealed class PartnerNameMustBePresentRule(string name) : IBusinessRule
{
    public bool IsBroken() => string.IsNullOrWhiteSpace(name) || name.Trim().Length > Partner.MaxNameLength;

    public string Message => $"A partner needs a name of 1–{Partner.MaxNameLength} characters.";
}

/// <summary>A sign-in account of a partner's staff (role <c>partner</c>) linked to that partner.</summary>
public sealed class PartnerUser
{
    private PartnerUser()
    {
    }

    public string UserId { get; private set; } = "";

    public Guid PartnerId { get; private set; }

    public string Email { get; private set; } = "";

    public DateTimeOffset LinkedAt { get; private set; }

    public static PartnerUser Link(string userId, Guid partnerId, string email, DateTimeOffset now) =>
        new() { UserId = userId, PartnerId = partnerId, Email = email, LinkedAt = now };
}
