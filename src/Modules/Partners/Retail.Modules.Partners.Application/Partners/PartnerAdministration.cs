using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.BuildingBlocks.Application.Security;
using Retail.Modules.Identity.IntegrationEvents;
using Retail.Modules.Partners.Application.Abstractions;
using Retail.Modules.Partners.Application.Keys;
using Retail.Modules.Partners.Application.Webhooks;
using Retail.Modules.Partners.Domain.Partners;

namespace Retail.Modules.Partners.Application.Partners;

public sealed record PartnerSummaryDto(Guid Id, string Name, string ContactEmail, bool StrictMode, bool IsActive, int ActiveKeys, DateTimeOffset CreatedAt);

public sealed record ApiKeyDto(Guid Id, string Name, string Prefix, string Environment, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt, DateTimeOffset? LastUsedAt);

public sealed record PartnerUserDto(string UserId, string Email, DateTimeOffset LinkedAt);

public sealed record PartnerDetailDto(
    Guid Id, string Name, string ContactEmail, string? CallbackUrl, bool StrictMode, bool IsActive, DateTimeOffset? WebhookSecretIssuedAt,
    DateTimeOffset? PreviousWebhookSecretValidUntil, DateTimeOffset CreatedAt, IReadOnlyList<ApiKeyDto> Keys, IReadOnlyList<PartnerUserDto> Users);

/// <summary>A new webhook secret: <see cref="Secret"/> is shown once; only its protected form is stored.</summary>
public sealed record IssuedWebhookSecretDto(string Secret, DateTimeOffset IssuedAt, DateTimeOffset? PreviousValidUntil);

/// <summary>A new API key: <see cref="PlainText"/> is shown once and never stored.</summary>
public sealed record CreatedApiKeyDto(ApiKeyDto Key, string PlainText);

public sealed record AuthAuditDto(DateTimeOffset At, Guid? PartnerId, string? KeyPrefix, string SourceIp, string Path, string Outcome);

internal static class PartnerMapping
{
    public static ApiKeyDto ToDto(this ApiKey k) => new(k.Id, k.Name, k.Prefix, k.Environment.ToString(), k.CreatedAt, k.ExpiresAt, k.RevokedAt, k.LastUsedAt);

    public static Error NotFound(Guid id) => Error.NotFound("partners.partner_not_found", $"No partner {id}.");
}

[AuthorizeRoles(Roles.CatalogAdmin)]
public sealed record CreatePartnerCommand(string Name, string ContactEmail, string? CallbackUrl, bool StrictMode) : ICommand<Guid>;

public sealed class CreatePartnerCommandValidator : AbstractValidator<CreatePartnerCommand>
{
    public CreatePartnerCommandValidator(IOptions<PartnersOptions> options)
    {
        RuleFor(c => c.Name).NotEmpty().MaximumLength(Partner.MaxNameLength);
        RuleFor(c => c.ContactEmail).NotEmpty().EmailAddress().MaximumLength(256);
        RuleFor(c => c.CallbackUrl).Must(u => CallbackUrlPolicy.IsAllowed(u, options.Value.AllowPrivateCallbackUrls)).WithMessage(CallbackUrlPolicy.Message);
    }
}

public sealed class CreatePartnerCommandHandler(IPartnersDbContext db, WebhookSecrets secrets, TimeProvider time) : ICommandHandler<CreatePartnerCommand, Guid>
{
    public async ValueTask<Result<Guid>> Handle(CreatePartnerCommand command, CancellationToken cancellationToken)
    {
        var name = command.Name.Trim();
        if (await db.Partners.AnyAsync(p => p.Name == name, cancellationToken))
        {
            return Error.Conflict("partners.duplicate_name", $"A partner named '{name}' already exists.");
        }

        // The secret is stored protected and shown to nobody now: it is handed over by issuing one (shown once).
        var (_, protectedSecret) = secrets.Issue();
        var partner = Partner.Create(name, command.ContactEmail, command.CallbackUrl, command.StrictMode, protectedSecret, time.GetUtcNow());
        db.Partners.Add(partner);
        return partner.Id;
    }
}

[AuthorizeRoles(Roles.CatalogAdmin)]
public sealed record UpdatePartnerCommand(Guid PartnerId, string Name, string ContactEmail, string? CallbackUrl, bool StrictMode) : ICommand;

public sealed class UpdatePartnerCommandValidator : AbstractValidator<UpdatePartnerCommand>
{
    public UpdatePartnerCommandValidator(IOptions<PartnersOptions> options)
    {
        RuleFor(c => c.Name).NotEmpty().MaximumLength(Partner.MaxNameLength);
        RuleFor(c => c.ContactEmail).NotEmpty().EmailAddress().MaximumLength(256);
        RuleFor(c => c.CallbackUrl).Must(u => CallbackUrlPolicy.IsAllowed(u, options.Value.AllowPrivateCallbackUrls)).WithMessage(CallbackUrlPolicy.Message);
    }
}

public sealed class UpdatePartnerCommandHandler(IPartnersDbContext db) : ICommandHandler<UpdatePartnerCommand>
{
    public async ValueTask<Result> Handle(UpdatePartnerCommand command, CancellationToken cancellationToken)
    {
        var partner = await db.Partners.SingleOrDefaultAsync(p => p.Id == command.PartnerId, cancellationToken);
        if (partner is null)
        {
            return PartnerMapping.NotFound(command.PartnerId);
        }

        // Names are unique (index): without this check a rename to another partner's name failed at the save as a 500.
        var name = command.Name.Trim();
        if (await db.Partners.AnyAsync(p => p.Name == name && p.Id != command.PartnerId, cancellationToken))
        {
            return Error.Conflict("partners.duplicate_name", $"A partner named '{name}' already exists.");
        }

        partner.Update(command.Name, command.ContactEmail, command.CallbackUrl, command.StrictMode);
        return Result.Success();
    }
}

[AuthorizeRoles(Roles.CatalogAdmin)]
public sealed record ListPartnersQuery(string? Search) : IQuery<IReadOnlyList<PartnerSummaryDto>>;

public sealed class ListPartnersQueryHandler(IPartnersDbContext db, TimeProvider time) : IQueryHandler<ListPartnersQuery, IReadOnlyList<PartnerSummaryDto>>
{
    public async ValueTask<Result<IReadOnlyList<PartnerSummaryDto>>> Handle(ListPartnersQuery query, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var partners = db.Partners.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var term = query.Search.Trim();
            partners = partners.Where(p => p.Name.Contains(term) || p.ContactEmail.Contains(term));
        }

        var list = await partners.OrderBy(p => p.Name).Take(500).ToListAsync(cancellationToken);
        var ids = list.Select(p => p.Id).ToList();
        var keys = await db.ApiKeys.AsNoTracking().Where(k => ids.Contains(k.PartnerId) && k.RevokedAt == null).ToListAsync(cancellationToken);
        return Result.Success<IReadOnlyList<PartnerSummaryDto>>([.. list.Select(p => new PartnerSummaryDto(
            p.Id, p.Name, p.ContactEmail, p.StrictMode, p.IsActive, keys.Count(k => k.PartnerId == p.Id && k.IsUsable(now)), p.CreatedAt))]);
    }
}

[AuthorizeRoles(Roles.CatalogAdmin)]
public sealed record GetPartnerQuery(Guid PartnerId) : IQuery<PartnerDetailDto>;

public sealed class GetPartnerQueryHandler(IPartnersDbContext db, TimeProvider time) : IQueryHandler<GetPartnerQuery, PartnerDetailDto>
{
    public async ValueTask<Result<PartnerDetailDto>> Handle(GetPartnerQuery query, CancellationToken cancellationToken) =>
        await LoadAsync(db, query.PartnerId, time.GetUtcNow(), cancellationToken) is { } detail ? detail : PartnerMapping.NotFound(query.PartnerId);

    internal static async Task<PartnerDetailDto?> LoadAsync(IPartnersDbContext db, Guid partnerId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var p = await db.Partners.AsNoTracking().SingleOrDefaultAsync(x => x.Id == partnerId, cancellationToken);
        if (p is null)
        {
            return null;
        }

        var keys = await db.ApiKeys.AsNoTracking().Where(k => k.PartnerId == partnerId).OrderByDescending(k => k.CreatedAt).ToListAsync(cancellationToken);
        var users = await db.PartnerUsers.AsNoTracking().Where(u => u.PartnerId == partnerId).OrderBy(u => u.Email).ToListAsync(cancellationToken);
        return new PartnerDetailDto(p.Id, p.Name, p.ContactEmail, p.CallbackUrl, p.StrictMode, p.IsActive, p.WebhookSecretIssuedAt,
            p.AcceptsPreviousWebhookSecret(now) ? p.PreviousWebhookSecretValidUntil : null, p.CreatedAt,
            [.. keys.Select(k => k.ToDto())], [.. users.Select(u => new PartnerUserDto(u.UserId, u.Email, u.LinkedAt))]);
    }
}

/// <summary>
/// Issues a new webhook secret for a partner (onboarding and rotation). The old one stops working at once, or after
/// <paramref name="OverlapHours"/> (0–72) during which webhooks signed with either are accepted. The new secret is
/// returned to be shown once and stored only in its protected form.
/// </summary>
[AuthorizeRoles(Roles.CatalogAdmin)]
public sealed record RotateWebhookSecretCommand(Guid PartnerId, int OverlapHours = 0) : ICommand<IssuedWebhookSecretDto>;

public sealed class RotateWebhookSecretCommandValidator : AbstractValidator<RotateWebhookSecretCommand>
{
    public RotateWebhookSecretCommandValidator() =>
        RuleFor(c => c.OverlapHours).InclusiveBetween(0, Partner.MaxWebhookSecretOverlapHours);
}

public sealed class RotateWebhookSecretCommandHandler(IPartnersDbContext db, WebhookSecrets secrets, TimeProvider time) : ICommandHandler<RotateWebhookSecretCommand, IssuedWebhookSecretDto>
{
    public async ValueTask<Result<IssuedWebhookSecretDto>> Handle(RotateWebhookSecretCommand command, CancellationToken cancellationToken)
    {
        var partner = await db.Partners.SingleOrDefaultAsync(p => p.Id == command.PartnerId, cancellationToken);
        return partner is null ? PartnerMapping.NotFound(command.PartnerId) : WebhookSecretRotation.Rotate(partner, secrets, command.OverlapHours, time);
    }
}

/// <summary>The signed-in partner user issues a new webhook secret for their own partner (portal; shown once).</summary>
[AuthorizeRoles(Roles.Partner)]
public sealed record RotateMyWebhookSecretCommand(int OverlapHours = 0) : ICommand<IssuedWebhookSecretDto>;

public sealed class RotateMyWebhookSecretCommandValidator : AbstractValidator<RotateMyWebhookSecretCommand>
{
    public RotateMyWebhookSecretCommandValidator() =>
        RuleFor(c => c.OverlapHours).InclusiveBetween(0, Partner.MaxWebhookSecretOverlapHours);
}

public sealed class RotateMyWebhookSecretCommandHandler(IPartnersDbContext db, ICurrentUser user, WebhookSecrets secrets, TimeProvider time) : ICommandHandler<RotateMyWebhookSecretCommand, IssuedWebhookSecretDto>
{
    public async ValueTask<Result<IssuedWebhookSecretDto>> Handle(RotateMyWebhookSecretCommand command, CancellationToken cancellationToken)
    {
        var link = await db.PartnerUsers.AsNoTracking().SingleOrDefaultAsync(u => u.UserId == user.UserId, cancellationToken);
        var partner = link is null ? null : await db.Partners.SingleOrDefaultAsync(p => p.Id == link.PartnerId, cancellationToken);
        return partner is null ? GetMyPartnerQueryHandler.NotLinked : WebhookSecretRotation.Rotate(partner, secrets, command.OverlapHours, time);
    }
}

internal static class WebhookSecretRotation
{
    public static IssuedWebhookSecretDto Rotate(Partner partner, WebhookSecrets secrets, int overlapHours, TimeProvider time)
    {
        var now = time.GetUtcNow();
        var plain = secrets.Rotate(partner, TimeSpan.FromHours(overlapHours), now);
        return new IssuedWebhookSecretDto(plain, now, partner.PreviousWebhookSecretValidUntil);
    }
}

/// <param name="ExpiresInDays">Optional expiry (for rotation with overlap: give the old key a few days, then it stops working).</param>
[AuthorizeRoles(Roles.CatalogAdmin)]
public sealed record CreateApiKeyCommand(Guid PartnerId, string Name, bool Sandbox, int? ExpiresInDays = null) : ICommand<CreatedApiKeyDto>;

public sealed class CreateApiKeyCommandValidator : AbstractValidator<CreateApiKeyCommand>
{
    public CreateApiKeyCommandValidator()
    {
        RuleFor(c => c.Name).NotEmpty().MaximumLength(100);
        RuleFor(c => c.ExpiresInDays).InclusiveBetween(1, 3650);
    }
}

public sealed class CreateApiKeyCommandHandler(IPartnersDbContext db, TimeProvider time) : ICommandHandler<CreateApiKeyCommand, CreatedApiKeyDto>
{
    public async ValueTask<Result<CreatedApiKeyDto>> Handle(CreateApiKeyCommand command, CancellationToken cancellationToken)
    {
        if (!await db.Partners.AnyAsync(p => p.Id == command.PartnerId, cancellationToken))
        {
            return PartnerMapping.NotFound(command.PartnerId);
        }

        var now = time.GetUtcNow();
        var (key, plain) = ApiKey.Issue(command.PartnerId, command.Name, command.Sandbox ? ApiKeyEnvironment.Sandbox : ApiKeyEnvironment.Live,
            command.ExpiresInDays is { } days ? now.AddDays(days) : null, now);
        db.ApiKeys.Add(key);
        return new CreatedApiKeyDto(key.ToDto(), plain);
    }
}

/// <summary>Revokes a key at once (rotation: issue the new key first, let the partner switch, then revoke the old one).</summary>
[AuthorizeRoles(Roles.CatalogAdmin)]
public sealed record RevokeApiKeyCommand(Guid PartnerId, Guid KeyId) : ICommand;

public sealed class RevokeApiKeyCommandHandler(IPartnersDbContext db, TimeProvider time) : ICommandHandler<RevokeApiKeyCommand>
{
    public async ValueTask<Result> Handle(RevokeApiKeyCommand command, CancellationToken cancellationToken)
    {
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == command.KeyId && k.PartnerId == command.PartnerId, cancellationToken);
        if (key is null)
        {
            return Error.NotFound("partners.key_not_found", "No such key.");
        }

        key.Revoke(time.GetUtcNow());
        return Result.Success();
    }
}

/// <summary>
/// Creates a sign-in account with the role <c>partner</c> (through Identity's public request) and links it to the
/// partner. Owns its transaction: Identity writes first, then the link row (one SQLite writer at a time).
/// </summary>
[AuthorizeRoles(Roles.CatalogAdmin)]
public sealed record CreatePartnerUserCommand(Guid PartnerId, string Email, string Password, string DisplayName) : ICommand<string>, IOwnsTransaction;

public sealed class CreatePartnerUserCommandHandler(IPartnersDbContext db, IRequestSender sender, TimeProvider time) : ICommandHandler<CreatePartnerUserCommand, string>
{
    public async ValueTask<Result<string>> Handle(CreatePartnerUserCommand command, CancellationToken cancellationToken)
    {
        if (!await db.Partners.AnyAsync(p => p.Id == command.PartnerId, cancellationToken))
        {
            return PartnerMapping.NotFound(command.PartnerId);
        }

        var created = await sender.Send(new CreatePartnerUser(command.Email, command.Password, command.DisplayName), cancellationToken);
        if (!created.IsSuccess)
        {
            return created.Error;
        }

        db.PartnerUsers.Add(PartnerUser.Link(created.Value, command.PartnerId, command.Email.Trim(), time.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
        return created.Value;
    }
}

/// <summary>Every partner API authentication attempt, newest first (optionally of one partner).</summary>
[AuthorizeRoles(Roles.CatalogAdmin)]
public sealed record GetAuthAuditQuery(Guid? PartnerId, int Page = 1, int PageSize = 50) : IQuery<PagedResult<AuthAuditDto>>;

public sealed class GetAuthAuditQueryValidator : AbstractValidator<GetAuthAuditQuery>
{
    public GetAuthAuditQueryValidator()
    {
        RuleFor(q => q.Page).ValidPage();
        RuleFor(q => q.PageSize).InclusiveBetween(1, 200);
    }
}

public sealed class GetAuthAuditQueryHandler(IPartnersDbContext db) : IQueryHandler<GetAuthAuditQuery, PagedResult<AuthAuditDto>>
{
    public async ValueTask<Result<PagedResult<AuthAuditDto>>> Handle(GetAuthAuditQuery query, CancellationToken cancellationToken)
    {
        var rows = db.AuthAudit.AsNoTracking().Where(a => query.PartnerId == null || a.PartnerId == query.PartnerId);
        var total = await rows.CountAsync(cancellationToken);
        var page = await rows.OrderByDescending(a => a.Id).Skip((query.Page - 1) * query.PageSize).Take(query.PageSize).ToListAsync(cancellationToken);
        return new PagedResult<AuthAuditDto>([.. page.Select(a => new AuthAuditDto(a.At, a.PartnerId, a.KeyPrefix, a.SourceIp, a.Path, a.Outcome.ToString()))],
            query.Page, query.PageSize, total);
    }
}

/// <summary>The partner the signed-in partner user belongs to, with its keys (never the secrets) — the portal's header.</summary>
[AuthorizeRoles(Roles.Partner)]
public sealed record GetMyPartnerQuery : IQuery<PartnerDetailDto>;

public sealed class GetMyPartnerQueryHandler(IPartnersDbContext db, ICurrentUser user, TimeProvider time) : IQueryHandler<GetMyPartnerQuery, PartnerDetailDto>
{
    public static readonly Error NotLinked = Error.NotFound("partners.not_linked", "Your account is not linked to a partner. Ask the shop to link it.");

    public async ValueTask<Result<PartnerDetailDto>> Handle(GetMyPartnerQuery query, CancellationToken cancellationToken)
    {
        var link = await db.PartnerUsers.AsNoTracking().SingleOrDefaultAsync(u => u.UserId == user.UserId, cancellationToken);
        if (link is null)
        {
            return NotLinked;
        }

        var detail = await GetPartnerQueryHandler.LoadAsync(db, link.PartnerId, time.GetUtcNow(), cancellationToken);
        return detail is null ? NotLinked : detail;
    }
}
