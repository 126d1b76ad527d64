using System.Security.Cryptography;
using System.Text;
using Retail.BuildingBlocks.Domain;

namespace Retail.Modules.Partners.Domain.Partners;

public enum ApiKeyEnvironment
{
    /// <summary>Validate-only: the full report, no writes.</summary>
    Sandbox = 0,
    Live = 1,
}

/// <summary>
/// A partner API key. Only the SHA-256 of the secret is stored, with a short visible prefix (<c>rk_live_ab12cd34</c>)
/// to find the row and to show in lists. Several per partner; rotation is "create new, revoke old later" (overlap), or an
/// expiry on the old one.
/// </summary>
public sealed class ApiKey : Entity<Guid>
{
    public const int PrefixRandomLength = 8;
    public const int SecretBytes = 32;

    private ApiKey()
    {
    }

    public Guid PartnerId { get; private set; }

    public string Name { get; private set; } = "";

    /// <summary>The visible part, e.g. <c>rk_live_ab12cd34</c>; unique.</summary>
    public string Prefix { get; private set; } = "";

    /// <summary>Lower-case hex SHA-256 of the whole key.</summary>
    public string Hash { get; private set; } = "";

    public ApiKeyEnvironment Environment { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? ExpiresAt { get; private set; }

    public DateTimeOffset? RevokedAt { get; private set; }

    public DateTimeOffset? LastUsedAt { get; private set; }

    public bool IsSandbox => Environment == ApiKeyEnvironment.Sandbox;

    public bool IsUsable(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);

    /// <summary>Creates a key; the returned plain text is shown once and never stored.</summary>
    public static (ApiKey Key, string PlainText) Issue(Guid partnerId, string name, ApiKeyEnvironment environment, DateTimeOffset? expiresAt, DateTimeOffset now)
    {
        var prefix = $"rk_{(environment == ApiKeyEnvironment.Live ? "live" : "test")}_{RandomToken(PrefixRandomLength / 2)}";
        var plain = $"{prefix}.{RandomToken(SecretBytes)}";
        var key = new ApiKey
        {
            Id = Guid.NewGuid(),
            PartnerId = partnerId,
            Name = string.IsNullOrWhiteSpace(name) ? "key" : name.Trim(),
            Prefix = prefix,
            Hash = HashOf(plain),
            Environment = environment,
            CreatedAt = now,
            ExpiresAt = expiresAt,
        };
        return (key, plain);
    }

    /// <summary>The prefix part of a presented key (everything before the first '.'), or null when it has none.</summary>
    public static string? PrefixOf(string presented)
    {
        var dot = presented.IndexOf('.', StringComparison.Ordinal);
        return dot is > 0 and <= 32 ? presented[..dot] : null;
    }

    public static string HashOf(string plain) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(plain)));

    /// <summary>Constant-time comparison of the presented key's hash with the stored one.</summary>
    public bool Matches(string presented)
    {
        var presentedHash = Encoding.ASCII.GetBytes(HashOf(presented));
        var storedHash = Encoding.ASCII.GetBytes(Hash);
        return CryptographicOperations.FixedTimeEquals(presentedHash, storedHash);
    }

    public void Revoke(DateTimeOffset now) => RevokedAt ??= now;

    public void MarkUsed(DateTimeOffset now) => LastUsedAt = now;

    private static string RandomToken(int bytes) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(bytes));
}

public enum AuthOutcome
{
    Success = 0,
    MissingKey = 1,
    UnknownKey = 2,
    WrongSecret = 3,
    Revoked = 4,
    Expired = 5,
    PartnerInactive = 6,
    BadSignature = 7,
    StaleTimestamp = 8,
}

/// <summary>One authentication attempt at a partner endpoint, good or bad (SPEC S1).</summary>
public sealed class ApiKeyAuditEntry
{
    private ApiKeyAuditEntry()
    {
    }

    public long Id { get; private set; }

    public DateTimeOffset At { get; private set; }

    public Guid? PartnerId { get; private set; }

    public string? KeyPrefix { get; private set; }

    public string SourceIp { get; private set; } = "";

    public string Path { get; private set; } = "";

    public AuthOutcome Outcome { get; private set; }

    public static ApiKeyAuditEntry Record(DateTimeOffset at, Guid? partnerId, string? keyPrefix, string sourceIp, string path, AuthOutcome outcome) => new()
    {
        At = at,
        PartnerId = partnerId,
        KeyPrefix = keyPrefix is { Length: > 40 } ? keyPrefix[..40] : keyPrefix,
        SourceIp = sourceIp.Length > 64 ? sourceIp[..64] : sourceIp,
        Path = path.Length > 200 ? path[..200] : path,
        Outcome = outcome,
    };
}
