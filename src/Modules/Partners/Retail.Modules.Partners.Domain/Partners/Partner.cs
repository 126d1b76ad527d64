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

    /// <summary>
    /// The HMAC-SHA256 key of webhook signatures (both directions) in its protected form (encrypted with Data Protection
    /// by the Application layer, never the plain secret; rows from before encryption hold a legacy plain value until they
    /// are re-protected). The plain secret is shown once, when it is issued.
    /// </summary>
    public string ProtectedWebhookSecret { get; private set; } = "";

    /// <summary>When the current webhook secret was issued (null for partners from before this was recorded).</summary>
    public DateTimeOffset? WebhookSecretIssuedAt { get; private set; }

    /// <summary>
    /// The secret replaced by the last rotation (protected form), still accepted on incoming webhooks until
    /// <see cref="PreviousWebhookSecretValidUntil"/> so the partner can switch without losing deliveries; null without overlap.
    /// </summary>
    public string? PreviousProtectedWebhookSecret { get; private set; }

    public DateTimeOffset? PreviousWebhookSecretValidUntil { get; private set; }

    public const int MaxWebhookSecretOverlapHours = 72;

    public bool IsActive { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public static Partner Create(string name, string contactEmail, string? callbackUrl, bool strictMode, string protectedWebhookSecret, DateTimeOffset now)
    {
        CheckRule(new PartnerNameMustBePresentRule(name));
        return new Partner
        {
            Id = Guid.NewGuid(),
            Name = name.Trim(),
            ContactEmail = contactEmail.Trim(),
            CallbackUrl = string.IsNullOrWhiteSpace(callbackUrl) ? null : callbackUrl.Trim(),
            StrictMode = strictMode,
            ProtectedWebhookSecret = protectedWebhookSecret,
            WebhookSecretIssuedAt = now,
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

    /// <summary>
    /// Replaces the webhook secret (rotation). With <paramref name="protectedPreviousSecret"/> (the current secret,
    /// protected) and a positive <paramref name="overlap"/> the old secret is still accepted on incoming webhooks until
    /// now + overlap; otherwise it stops working at once. Callbacks are signed with the new secret from now on.
    /// </summary>
    public void RotateWebhookSecret(string protectedWebhookSecret, DateTimeOffset now, string? protectedPreviousSecret = null, TimeSpan overlap = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(protectedWebhookSecret);
        CheckRule(new WebhookSecretOverlapMustBeBoundedRule(overlap));
        var keepPrevious = overlap > TimeSpan.Zero && !string.IsNullOrEmpty(protectedPreviousSecret);
        PreviousProtectedWebhookSecret = keepPrevious ? protectedPreviousSecret : null;
        PreviousWebhookSecretValidUntil = keepPrevious ? now + overlap : null;
        ProtectedWebhookSecret = protectedWebhookSecret;
        WebhookSecretIssuedAt = now;
    }

    /// <summary>True while the previous secret of the last rotation is still accepted.</summary>
    public bool AcceptsPreviousWebhookSecret(DateTimeOffset now) =>
        PreviousProtectedWebhookSecret is not null && PreviousWebhookSecretValidUntil is { } until && now < until;

    /// <summary>The id as other modules see it (Catalog's product ownership).</summary>
    public string PublicId => Id.ToString("N");
}

public sealed class PartnerNameMustBePresentRule(string name) : IBusinessRule
{
    public bool IsBroken() => string.IsNullOrWhiteSpace(name) || name.Trim().Length > Partner.MaxNameLength;

    public string Message => $"A partner needs a name of 1–{Partner.MaxNameLength} characters.";
}

public sealed class WebhookSecretOverlapMustBeBoundedRule(TimeSpan overlap) : IBusinessRule
{
    public bool IsBroken() => overlap < TimeSpan.Zero || overlap > TimeSpan.FromHours(Partner.MaxWebhookSecretOverlapHours);

    public string Message => $"The old webhook secret can stay valid for 0–{Partner.MaxWebhookSecretOverlapHours} hours.";
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
