using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.Catalog.IntegrationEvents;
using Retail.Modules.Partners.Application.Abstractions;
using Retail.Modules.Partners.Application.Keys;
using Retail.Modules.Partners.Domain.Partners;
using Retail.Modules.Partners.Domain.Webhooks;
using Retail.Modules.Partners.IntegrationEvents;

namespace Retail.Modules.Partners.Application.Webhooks;

/// <summary>The body of <c>POST /api/partners/webhooks/stock</c>.</summary>
public sealed record StockWebhookBody(string? Sku, int? Quantity, long? Sequence);

public sealed record WebhookDeliveryDto(Guid Id, string DeliveryId, string Sku, int Quantity, long Sequence, string Status, string? Outcome, int? StockAfter,
    DateTimeOffset ReceivedAt, DateTimeOffset? ProcessedAt, IReadOnlyList<CallbackAttemptDto> Callbacks);

public sealed record CallbackAttemptDto(int Attempt, DateTimeOffset At, int? StatusCode, long DurationMs, string? Error);

/// <summary>
/// Receives stock webhooks (SPEC I2): the API key is already checked; this verifies the HMAC over <c>timestamp.body</c>
/// and the 5-minute window, stores the delivery (idempotent on X-Delivery-Id) and wakes the background worker. The
/// delivery row and a refusal's audit row go through the module's group commit: durable before the answer, and shared
/// with the other deliveries arriving at the same time instead of one write transaction each.
/// </summary>
public sealed partial class StockWebhookReceiver(
    IPartnersDbContext db,
    IGroupCommit<IPartnersDbContext> commits,
    AuthenticatedPartner authenticated,
    IWebhookWorkQueue work,
    WebhookSecrets secrets,
    TimeProvider time,
    ILogger<StockWebhookReceiver> logger)
{
    public static readonly Error BadSignature = new("partners.bad_signature", "X-Signature does not match HMAC-SHA256 of 'timestamp.body' with your webhook secret.", ErrorKind.Unauthorized);
    public static readonly Error StaleTimestamp = new("partners.stale_timestamp", "X-Timestamp is missing or more than 5 minutes away from the server's clock.", ErrorKind.Unauthorized);
    public static readonly Error DeliveryIdReused = Error.Unprocessable(
        "partners.delivery_id_reused", "This X-Delivery-Id was already used for a different body; send a new update with a new delivery id.");

    // One options instance for every request (CA1869), not a new one per webhook. Numbers strictly: the web defaults read
    // "quantity":"5" as 5, so a partner whose serializer wrote strings never learned its body broke the contract.
    private static readonly JsonSerializerOptions BodyJson = new(JsonSerializerDefaults.Web) { MaxDepth = 4, NumberHandling = JsonNumberHandling.Strict };

    public async Task<Result<WebhookDeliveryDto>> ReceiveAsync(Guid partnerId, string? deliveryId, string? timestamp, string? signature, byte[] body, string sourceIp, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var now = time.GetUtcNow();
        var partner = authenticated.Partner is { } known && known.Id == partnerId
            ? known
            : await db.FindPartnerAsync(partnerId, cancellationToken) ?? throw new InvalidOperationException($"Partner {partnerId} passed the API key check but does not exist.");
        if (!WebhookSignature.IsFresh(timestamp, now))
        {
            await AuditAsync(partnerId, sourceIp, path, AuthOutcome.StaleTimestamp, now, cancellationToken);
            return StaleTimestamp;
        }

        // An unreadable stored secret (tampered, foreign key ring) fails closed: 401 like a bad signature, logged as an error.
        // During a rotation's overlap the previous secret is accepted too; callbacks are signed with the current one only.
        var secret = await secrets.RevealAsync(partner, cancellationToken);
        var verified = secret is not null && WebhookSignature.Verify(secret, timestamp!, body, signature);
        if (!verified && secrets.RevealPrevious(partner, now) is { } previous)
        {
            verified = WebhookSignature.Verify(previous, timestamp!, body, signature);
        }

        if (!verified)
        {
            await AuditAsync(partnerId, sourceIp, path, AuthOutcome.BadSignature, now, cancellationToken);
            return BadSignature;
        }

        if (string.IsNullOrWhiteSpace(deliveryId) || deliveryId.Length > 100)
        {
            return Error.Validation(new Dictionary<string, string[]> { ["X-Delivery-Id"] = ["Send a delivery id of 1–100 characters."] });
        }

        // Stored trimmed, so looked up trimmed: a repeat sent with the same spaces is the same delivery.
        deliveryId = deliveryId.Trim();

        const string skuRule = "sku is required: 1–40 letters, digits, '-', '_' or '.'.";
        const string quantityRule = "quantity is required: a whole number from 0 to 1000000.";
        const string sequenceRule = "sequence is required: a non-negative number that grows with every update of the SKU.";
        var errors = new Dictionary<string, string[]>();
        StockWebhookBody? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize<StockWebhookBody>(body, BodyJson);
        }
        catch (JsonException ex)
        {
            // One unreadable value (5.5, a number past int, "x") fails the whole body: name that field, or the body when
            // the JSON itself is broken, instead of reporting every field (a valid sku included) as missing.
            parsed = null;
            var (field, rule) = ex.Path switch
            {
                "$.sku" => ("sku", skuRule),
                "$.quantity" => ("quantity", quantityRule),
                "$.sequence" => ("sequence", sequenceRule),
                _ => ("body", """The body is not valid JSON of the form {"sku":"…","quantity":0,"sequence":0}."""),
            };
            errors[field] = [rule];
        }

        if (parsed is not null || errors.Count == 0)
        {
            if (parsed?.Sku is not { Length: > 0 and <= 40 } sku || !sku.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                errors["sku"] = [skuRule];
            }

            if (parsed?.Quantity is not (>= 0 and <= 1_000_000))
            {
                errors["quantity"] = [quantityRule];
            }

            if (parsed?.Sequence is not (>= 0))
            {
                errors["sequence"] = [sequenceRule];
            }
        }

        var bodyHash = Convert.ToHexStringLower(SHA256.HashData(body));
        var existing = await db.FindDeliveryAsync(partnerId, deliveryId, cancellationToken);
        if (existing is not null)
        {
            // A repeat changes nothing and reports the first outcome.
            return await RepeatAsync(existing, bodyHash, cancellationToken);
        }

        if (errors.Count > 0)
        {
            return Error.Validation(errors);
        }

        var delivery = WebhookDelivery.Receive(partnerId, deliveryId, parsed!.Sku!.Trim().ToUpperInvariant(), parsed.Quantity!.Value, parsed.Sequence!.Value, bodyHash, now);
        try
        {
            await commits.CommitAsync((shared, _) =>
            {
                shared.WebhookDeliveries.Add(delivery);
                return Task.CompletedTask;
            }, cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The same delivery id raced in at the same time: answer with the row that won.
            var winner = await db.WebhookDeliveries.AsNoTracking().SingleAsync(d => d.PartnerId == partnerId && d.DeliveryId == deliveryId, cancellationToken);
            return await RepeatAsync(winner, bodyHash, cancellationToken);
        }

        LogReceived(logger, delivery.Id, partnerId, delivery.DeliveryId, delivery.Sku);
        work.Nudge(delivery.Id);
        return ToDto(delivery, []); // just received: no callback attempts yet
    }

    /// <summary>
    /// A retry (the same body) answers the first delivery. Another body under the same id is not a retry but a second
    /// update: answering it 202 with the first outcome told the partner it was accepted while its quantity was dropped.
    /// Rows stored without a body hash (none is written so any more) are taken as retries.
    /// </summary>
    private async Task<Result<WebhookDeliveryDto>> RepeatAsync(WebhookDelivery first, string bodyHash, CancellationToken cancellationToken)
    {
        if (first.BodyHash.Length > 0 && !string.Equals(first.BodyHash, bodyHash, StringComparison.Ordinal))
        {
            LogDeliveryIdReused(logger, first.PartnerId, first.DeliveryId);
            return DeliveryIdReused;
        }

        return await ToDtoAsync(db, first, cancellationToken);
    }

    private async Task AuditAsync(Guid partnerId, string sourceIp, string path, AuthOutcome outcome, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await commits.CommitAsync((shared, _) =>
        {
            shared.AuthAudit.Add(ApiKeyAuditEntry.Record(now, partnerId, null, sourceIp, path, outcome));
            return Task.CompletedTask;
        }, cancellationToken);
        LogRefused(logger, partnerId, outcome);
    }

    internal static async Task<WebhookDeliveryDto> ToDtoAsync(IPartnersDbContext db, WebhookDelivery d, CancellationToken cancellationToken)
    {
        var attempts = await db.CallbackAttempts.AsNoTracking().Where(a => a.DeliveryId == d.Id).OrderBy(a => a.Id)
            .Select(a => new CallbackAttemptDto(a.Attempt, a.At, a.StatusCode, a.DurationMs, a.Error)).ToListAsync(cancellationToken);
        return ToDto(d, attempts);
    }

    private static WebhookDeliveryDto ToDto(WebhookDelivery d, IReadOnlyList<CallbackAttemptDto> attempts) =>
        new(d.Id, d.DeliveryId, d.Sku, d.Quantity, d.Sequence, d.Status.ToString(), d.Outcome, d.StockAfter, d.ReceivedAt, d.ProcessedAt, attempts);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stock webhook {Id} received from partner {PartnerId}: delivery {DeliveryId}, sku {Sku}")]
    private static partial void LogReceived(ILogger logger, Guid id, Guid partnerId, string deliveryId, string sku);

    [LoggerMessage(EventId = 5011, Level = LogLevel.Warning, Message = "Security: stock webhook of partner {PartnerId} refused ({Outcome})")]
    private static partial void LogRefused(ILogger logger, Guid partnerId, AuthOutcome outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stock webhook of partner {PartnerId} refused: delivery id {DeliveryId} was already used for a different body")]
    private static partial void LogDeliveryIdReused(ILogger logger, Guid partnerId, string deliveryId);
}

/// <summary>
/// Applies received deliveries in the background, in batches: out-of-order sequences are ignored, the others go to
/// Catalog in one <see cref="SetPartnerProductStocks"/> per partner (one Catalog transaction), and the outcomes commit in
/// one Partners transaction. A batch holds each partner SKU once, so it decides exactly as one-by-one processing in arrival
/// order would; a SKU seen again starts the next batch. Outcome callbacks are the caller's next step
/// (<see cref="SendCallbackAsync"/>): they are posted to the partner's callback URL, signed like the webhook, through the
/// retrying pipeline of <see cref="ICallbackClient"/>; every attempt is stored and logged.
/// </summary>
public sealed partial class StockWebhookProcessor(
    IPartnersDbContext db,
    IRequestSender sender,
    ICallbackClient callbacks,
    WebhookSecrets secrets,
    [FromKeyedServices(PartnersModule.Name)] IUnitOfWork unitOfWork,
    TimeProvider time,
    ILogger<StockWebhookProcessor> logger)
{
    private static readonly JsonSerializerOptions CallbackJson = new(JsonSerializerDefaults.Web);

    /// <summary>The error of a callback not sent because the stored webhook secret cannot be read.</summary>
    public const string SecretUnreadable = "Not sent: the webhook secret cannot be read; ask the shop to rotate it.";

    /// <summary>
    /// Processes the given deliveries (those still unprocessed; unknown or processed ids are skipped) in arrival order.
    /// Returns the ids of the processed deliveries whose partner has a callback URL.
    /// </summary>
    public async Task<IReadOnlyList<Guid>> ProcessAsync(IReadOnlyCollection<Guid> deliveryIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deliveryIds);
        // By id alone (the primary key), the status checked on the rows found: given "Id IN (...) AND Status = 0" SQLite,
        // which has no statistics here, picks the Status index and reads every unprocessed delivery - the whole backlog
        // for each batch of it.
        var pending = (await db.WebhookDeliveries.Where(d => deliveryIds.Contains(d.Id)).ToListAsync(cancellationToken))
            .Where(d => d.Status == DeliveryStatus.Received).OrderBy(d => d.ReceivedAt).ToList();
        if (pending.Count == 0)
        {
            return [];
        }

        var partnerIds = pending.Select(d => d.PartnerId).Distinct().ToList();
        var skus = pending.Select(d => d.Sku).Distinct(StringComparer.Ordinal).ToList();
        var sequences = (await db.SkuSequences.Where(s => partnerIds.Contains(s.PartnerId) && skus.Contains(s.Sku)).ToListAsync(cancellationToken))
            .ToDictionary(s => (s.PartnerId, s.Sku));
        var batch = new List<WebhookDelivery>(pending.Count);
        var keys = new HashSet<(Guid, string)>();
        foreach (var delivery in pending)
        {
            if (!keys.Add((delivery.PartnerId, delivery.Sku)))
            {
                await ApplyAsync(batch, sequences, cancellationToken);
                batch.Clear();
                keys.Clear();
                keys.Add((delivery.PartnerId, delivery.Sku));
            }

            batch.Add(delivery);
        }

        await ApplyAsync(batch, sequences, cancellationToken);
        var withCallback = await db.Partners.AsNoTracking().Where(p => partnerIds.Contains(p.Id) && p.CallbackUrl != null).Select(p => p.Id).ToListAsync(cancellationToken);
        return [.. pending.Where(d => withCallback.Contains(d.PartnerId)).Select(d => d.Id)];
    }

    /// <summary>One batch (each partner SKU at most once): Catalog first, then the outcomes in one Partners transaction.</summary>
    private async Task ApplyAsync(List<WebhookDelivery> batch, Dictionary<(Guid, string), SkuSequence> sequences, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var toApply = new List<WebhookDelivery>(batch.Count);
        foreach (var delivery in batch)
        {
            if (sequences.TryGetValue((delivery.PartnerId, delivery.Sku), out var sequence) && !sequence.Accepts(delivery.Sequence))
            {
                delivery.IgnoredOutOfOrder(sequence.LastSequence, now);
            }
            else
            {
                toApply.Add(delivery);
            }
        }

        foreach (var partner in toApply.GroupBy(d => d.PartnerId))
        {
            var deliveries = partner.ToList();
            var result = await sender.Send(new SetPartnerProductStocks(partner.Key.ToString("N"),
                [.. deliveries.Select(d => new PartnerStockSetting(d.Sku, d.Quantity, $"partner webhook {d.DeliveryId}"))]), cancellationToken);
            now = time.GetUtcNow();
            for (var i = 0; i < deliveries.Count; i++)
            {
                var delivery = deliveries[i];
                if (!result.IsSuccess)
                {
                    delivery.Failed(result.Error.Message, now);
                }
                else if (result.Value[i] is { StockAfter: { } stockAfter })
                {
                    delivery.Applied(stockAfter, now);
                    if (sequences.TryGetValue((delivery.PartnerId, delivery.Sku), out var sequence))
                    {
                        sequence.Advance(delivery.Sequence);
                    }
                    else
                    {
                        var started = SkuSequence.Start(delivery.PartnerId, delivery.Sku, delivery.Sequence);
                        db.SkuSequences.Add(started);
                        sequences[(delivery.PartnerId, delivery.Sku)] = started;
                    }
                }
                else
                {
                    delivery.Failed(result.Value[i].ErrorMessage ?? "Not applied.", now);
                }
            }
        }

        // Through the unit of work: the WebhookProcessed events leave through the outbox right away.
        await unitOfWork.ExecuteAsync(() => Task.FromResult(true), _ => true, cancellationToken);
        foreach (var delivery in batch)
        {
            LogProcessed(logger, delivery.Id, delivery.Status);
        }
    }

    /// <summary>Posts the outcome of a processed delivery to the partner's callback URL (see <see cref="SendCallbackAsync(WebhookDelivery, CancellationToken)"/>).</summary>
    public async Task<bool> SendCallbackAsync(Guid deliveryId, CancellationToken cancellationToken)
    {
        var delivery = await db.WebhookDeliveries.AsNoTracking().SingleOrDefaultAsync(d => d.Id == deliveryId, cancellationToken);
        return delivery is not null && await SendCallbackAsync(delivery, cancellationToken);
    }

    /// <summary>Posts the outcome (again, for a replay from the portal). True when the partner answered 2xx.</summary>
    public async Task<bool> SendCallbackAsync(WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var partner = await db.Partners.AsNoTracking().SingleAsync(p => p.Id == delivery.PartnerId, cancellationToken);
        if (partner.CallbackUrl is null || !delivery.IsProcessed)
        {
            return false;
        }

        var body = JsonSerializer.SerializeToUtf8Bytes(new
        {
            deliveryId = delivery.DeliveryId,
            sku = delivery.Sku,
            sequence = delivery.Sequence,
            status = delivery.Status.ToString(),
            outcome = delivery.Outcome,
            stockAfter = delivery.StockAfter,
            processedAt = delivery.ProcessedAt,
        }, CallbackJson);
        var previous = await db.CallbackAttempts.CountAsync(a => a.DeliveryId == delivery.Id, cancellationToken);
        var secret = await secrets.RevealAsync(partner, cancellationToken);
        IReadOnlyList<CallbackAttemptResult> attempts = secret is null
            // Never post unsigned: the failure is recorded as an attempt (visible in the portal) and reported below.
            ? [new CallbackAttemptResult(time.GetUtcNow(), null, 0, SecretUnreadable)]
            : await callbacks.DeliverAsync(partner.CallbackUrl, () =>
            {
                var timestamp = time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
                return (timestamp, WebhookSignature.Sign(secret, timestamp, body));
            }, body, cancellationToken);
        var number = previous;
        foreach (var attempt in attempts)
        {
            db.CallbackAttempts.Add(CallbackAttempt.Record(delivery.Id, ++number, attempt.At, attempt.StatusCode, attempt.DurationMs, attempt.Error));
            if (!attempt.Succeeded)
            {
                LogCallbackFailed(logger, delivery.Id, number, attempt.Error ?? "");
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        if (attempts.Count > 0 && attempts[^1].Succeeded)
        {
            return true;
        }

        var lastError = attempts.Count > 0 ? attempts[^1].Error ?? "" : "";
        await unitOfWork.ExecuteAsync(() =>
        {
            db.Publish(new WebhookCallbackFailed(Guid.NewGuid(), time.GetUtcNow(), delivery.PartnerId, delivery.DeliveryId, attempts.Count, lastError));
            return Task.FromResult(true);
        }, _ => true, cancellationToken);
        return false;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stock webhook {Id} processed: {Status}")]
    private static partial void LogProcessed(ILogger logger, Guid id, DeliveryStatus status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Callback for stock webhook {Id} failed on attempt {Attempt}: {Error}")]
    private static partial void LogCallbackFailed(ILogger logger, Guid id, int attempt, string error);
}

/// <summary>The stock webhook deliveries of a partner, newest first, with their callback attempts.</summary>
public sealed record ListWebhookDeliveriesQuery(Guid PartnerId, int Take = 50) : IQuery<IReadOnlyList<WebhookDeliveryDto>>;

public sealed class ListWebhookDeliveriesQueryHandler(IPartnersDbContext db) : IQueryHandler<ListWebhookDeliveriesQuery, IReadOnlyList<WebhookDeliveryDto>>
{
    public async ValueTask<Result<IReadOnlyList<WebhookDeliveryDto>>> Handle(ListWebhookDeliveriesQuery query, CancellationToken cancellationToken)
    {
        var rows = await db.WebhookDeliveries.AsNoTracking().Where(d => d.PartnerId == query.PartnerId)
            .OrderByDescending(d => d.ReceivedAt).Take(Math.Clamp(query.Take, 1, 200)).ToListAsync(cancellationToken);
        var list = new List<WebhookDeliveryDto>(rows.Count);
        foreach (var row in rows)
        {
            list.Add(await StockWebhookReceiver.ToDtoAsync(db, row, cancellationToken));
        }

        return Result.Success<IReadOnlyList<WebhookDeliveryDto>>(list);
    }
}

/// <summary>The partner asks for the outcome callback of a delivery to be sent again (portal "replay").</summary>
[Retail.BuildingBlocks.Application.Security.AuthorizeRoles(Retail.BuildingBlocks.Application.Security.Roles.Partner)]
public sealed record ReplayWebhookCallbackCommand(Guid PartnerId, Guid DeliveryId) : ICommand<bool>, IOwnsTransaction;

public sealed class ReplayWebhookCallbackCommandHandler(IPartnersDbContext db, StockWebhookProcessor processor) : ICommandHandler<ReplayWebhookCallbackCommand, bool>
{
    public async ValueTask<Result<bool>> Handle(ReplayWebhookCallbackCommand command, CancellationToken cancellationToken)
    {
        var delivery = await db.WebhookDeliveries.AsNoTracking().SingleOrDefaultAsync(d => d.Id == command.DeliveryId && d.PartnerId == command.PartnerId, cancellationToken);
        if (delivery is null)
        {
            return Error.NotFound("partners.delivery_not_found", "No such delivery.");
        }

        if (!delivery.IsProcessed)
        {
            return Error.Conflict("partners.delivery_pending", "This delivery has not been processed yet.");
        }

        return await processor.SendCallbackAsync(delivery, cancellationToken);
    }
}
