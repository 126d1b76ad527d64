using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Retail.BuildingBlocks.Application;
using Retail.Modules.Partners.Application.Abstractions;
using Retail.Modules.Partners.Application.Partners;
using Retail.Modules.Partners.Application.Webhooks;
using Retail.Modules.Partners.Domain.Partners;
using Retail.Modules.Partners.Domain.Webhooks;

namespace Retail.Modules.Partners.IntegrationTests;

/// <summary>
/// Webhook secrets at rest on a real SQLite file with the real Data Protection protector: the raw column never holds the
/// plain secret, legacy plain values are read and re-protected, tampered values are unreadable and fail closed.
/// </summary>
public sealed class WebhookSecretIntegrationTests(PartnersFixture fixture) : IClassFixture<PartnersFixture>
{
    private string? RawSecret(Guid partnerId) => Raw("SELECT ProtectedWebhookSecret FROM partners_Partners WHERE Id = $p COLLATE NOCASE", partnerId) as string;

    private object? Raw(string sql, Guid partnerId, string? value = null)
    {
        using var connection = new SqliteConnection($"Data Source={fixture.DatabasePath}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$p", partnerId.ToString().ToUpperInvariant());
        if (value is not null)
        {
            command.Parameters.AddWithValue("$v", value);
        }

        return command.ExecuteScalar();
    }

    private void StoreRaw(Guid partnerId, string value) =>
        Convert.ToInt64(Raw("UPDATE partners_Partners SET ProtectedWebhookSecret = $v WHERE Id = $p COLLATE NOCASE; SELECT changes()", partnerId, value),
            System.Globalization.CultureInfo.InvariantCulture).ShouldBe(1);

    private async Task<(Guid Id, string Plain)> NewPartnerAsync(string? callbackUrl = null)
    {
        var (partner, plain) = await fixture.NewPartnerAsync(callbackUrl);
        return (partner.Id, plain);
    }

    private async Task<string?> RevealAsync(Guid partnerId)
    {
        await using var scope = fixture.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IPartnersDbContext>();
        var partner = await db.Partners.AsNoTracking().SingleAsync(p => p.Id == partnerId);
        return await scope.ServiceProvider.GetRequiredService<WebhookSecrets>().RevealAsync(partner, CancellationToken.None);
    }

    private static void ShouldBeProtected(string? stored, string plain)
    {
        stored.ShouldNotBeNull();
        stored.ShouldStartWith(WebhookSecretFormat.ProtectedMarker);
        stored.ShouldNotContain(plain);
        stored.ShouldNotContain(plain.ToUpperInvariant());
        stored.ShouldNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(plain)));
    }

    [Fact]
    public async Task An_issued_secret_is_stored_only_in_protected_form_and_reads_back()
    {
        var (id, plain) = await NewPartnerAsync();

        plain.Length.ShouldBe(64);
        ShouldBeProtected(RawSecret(id), plain);
        (await RevealAsync(id)).ShouldBe(plain);
        RawSecret(id).ShouldStartWith(WebhookSecretFormat.ProtectedMarker);
    }

    [Fact]
    public async Task Rotation_stores_the_new_secret_protected_and_the_old_one_is_gone()
    {
        var (id, old) = await NewPartnerAsync();
        var before = RawSecret(id);

        await using (var scope = fixture.Services.CreateAsyncScope())
        {
            var sp = scope.ServiceProvider;
            var handler = ActivatorUtilities.CreateInstance<RotateWebhookSecretCommandHandler>(sp);
            var result = await handler.Handle(new RotateWebhookSecretCommand(id), CancellationToken.None);
            result.IsSuccess.ShouldBeTrue();
            await sp.GetRequiredService<IPartnersDbContext>().SaveChangesAsync();
            var issued = result.Value;
            issued.Secret.ShouldNotBe(old);
            issued.IssuedAt.ShouldBe(fixture.Time.GetUtcNow());
            ShouldBeProtected(RawSecret(id), issued.Secret);
            RawSecret(id).ShouldNotBe(before);
            (await RevealAsync(id)).ShouldBe(issued.Secret);
        }

        await using var other = fixture.Services.CreateAsyncScope();
        var missing = await ActivatorUtilities.CreateInstance<RotateWebhookSecretCommandHandler>(other.ServiceProvider)
            .Handle(new RotateWebhookSecretCommand(Guid.NewGuid()), CancellationToken.None);
        missing.Error!.Kind.ShouldBe(ErrorKind.NotFound);
    }

    private async Task<Result<Application.Webhooks.WebhookDeliveryDto>> ReceiveAsync(Guid partnerId, string secret, string deliveryId)
    {
        var body = Encoding.UTF8.GetBytes("""{"sku":"ANY-1","quantity":1,"sequence":1}""");
        var timestamp = fixture.Time.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var scope = fixture.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<StockWebhookReceiver>()
            .ReceiveAsync(partnerId, deliveryId, timestamp, "sha256=" + WebhookSignature.Sign(secret, timestamp, body), body, "127.0.0.1", "/api/partners/webhooks/stock", CancellationToken.None);
    }

    [Fact]
    public async Task A_rotation_with_overlap_accepts_the_old_secret_until_the_overlap_ends_even_from_a_legacy_value()
    {
        var (id, _) = await NewPartnerAsync();
        const string legacy = "legacy-secret-before-rotation";
        StoreRaw(id, legacy);
        string rotated;
        await using (var scope = fixture.Services.CreateAsyncScope())
        {
            var result = await ActivatorUtilities.CreateInstance<RotateWebhookSecretCommandHandler>(scope.ServiceProvider)
                .Handle(new RotateWebhookSecretCommand(id, OverlapHours: 2), CancellationToken.None);
            await scope.ServiceProvider.GetRequiredService<IPartnersDbContext>().SaveChangesAsync();
            rotated = result.Value.Secret;
            result.Value.PreviousValidUntil.ShouldBe(fixture.Time.GetUtcNow().AddHours(2));
        }

        // The legacy plain value never reaches the previous-secret column as plain text.
        ShouldBeProtected(Raw("SELECT PreviousProtectedWebhookSecret FROM partners_Partners WHERE Id = $p COLLATE NOCASE", id) as string, legacy);
        ShouldBeProtected(RawSecret(id), rotated);
        (await ReceiveAsync(id, legacy, "ov-1")).IsSuccess.ShouldBeTrue();
        (await ReceiveAsync(id, rotated, "ov-2")).IsSuccess.ShouldBeTrue();

        fixture.Time.Advance(TimeSpan.FromHours(2));
        (await ReceiveAsync(id, legacy, "ov-3")).Error.ShouldBe(StockWebhookReceiver.BadSignature);
        (await ReceiveAsync(id, rotated, "ov-4")).IsSuccess.ShouldBeTrue();

        new RotateWebhookSecretCommandValidator().Validate(new RotateWebhookSecretCommand(id, 73)).IsValid.ShouldBeFalse();
        new RotateWebhookSecretCommandValidator().Validate(new RotateWebhookSecretCommand(id, -1)).IsValid.ShouldBeFalse();
        new RotateMyWebhookSecretCommandValidator().Validate(new RotateMyWebhookSecretCommand(72)).IsValid.ShouldBeTrue();
    }

    [Fact]
    public async Task A_legacy_plain_value_is_read_and_re_protected_on_first_use()
    {
        var (id, _) = await NewPartnerAsync();
        var legacy = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
        StoreRaw(id, legacy);

        (await RevealAsync(id)).ShouldBe(legacy);

        ShouldBeProtected(RawSecret(id), legacy);
        var reprotected = RawSecret(id);
        (await RevealAsync(id)).ShouldBe(legacy);
        RawSecret(id).ShouldBe(reprotected);
    }

    [Fact]
    public async Task The_startup_step_re_protects_every_legacy_value_once()
    {
        var (first, _) = await NewPartnerAsync();
        var (second, _) = await NewPartnerAsync();
        var (untouched, untouchedPlain) = await NewPartnerAsync();
        var untouchedStored = RawSecret(untouched);
        StoreRaw(first, "legacy-secret-one");
        StoreRaw(second, "legacy-secret-two");

        await using (var scope = fixture.Services.CreateAsyncScope())
        {
            (await scope.ServiceProvider.GetRequiredService<WebhookSecrets>().ReprotectLegacySecretsAsync(CancellationToken.None)).ShouldBeGreaterThanOrEqualTo(2);
        }

        ShouldBeProtected(RawSecret(first), "legacy-secret-one");
        ShouldBeProtected(RawSecret(second), "legacy-secret-two");
        RawSecret(untouched).ShouldBe(untouchedStored);
        (await RevealAsync(first)).ShouldBe("legacy-secret-one");
        (await RevealAsync(untouched)).ShouldBe(untouchedPlain);
        await using var again = fixture.Services.CreateAsyncScope();
        (await again.ServiceProvider.GetRequiredService<WebhookSecrets>().ReprotectLegacySecretsAsync(CancellationToken.None)).ShouldBe(0);
    }

    [Fact]
    public async Task Tampered_overlong_or_empty_values_are_unreadable_and_the_webhook_fails_closed_with_401()
    {
        var (id, plain) = await NewPartnerAsync();
        var stored = RawSecret(id)!;
        var middle = stored.Length / 2;
        StoreRaw(id, stored[..middle] + (stored[middle] == 'A' ? 'B' : 'A') + stored[(middle + 1)..]);
        (await RevealAsync(id)).ShouldBeNull();

        var body = Encoding.UTF8.GetBytes("""{"sku":"ANY-1","quantity":1,"sequence":1}""");
        var timestamp = fixture.Time.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using (var scope = fixture.Services.CreateAsyncScope())
        {
            var result = await scope.ServiceProvider.GetRequiredService<StockWebhookReceiver>()
                .ReceiveAsync(id, "t-1", timestamp, "sha256=" + WebhookSignature.Sign(plain, timestamp, body), body, "127.0.0.1", "/api/partners/webhooks/stock", CancellationToken.None);
            result.IsSuccess.ShouldBeFalse();
            result.Error.ShouldBe(StockWebhookReceiver.BadSignature);
            result.Error.Kind.ShouldBe(ErrorKind.Unauthorized);
        }

        Convert.ToInt64(Raw("SELECT COUNT(*) FROM partners_AuthAudit WHERE PartnerId = $p COLLATE NOCASE AND Outcome = 7", id), System.Globalization.CultureInfo.InvariantCulture).ShouldBe(1);
        Convert.ToInt64(Raw("SELECT COUNT(*) FROM partners_WebhookDeliveries WHERE PartnerId = $p COLLATE NOCASE", id), System.Globalization.CultureInfo.InvariantCulture).ShouldBe(0);

        // An unmarked value longer than any legacy secret (e.g. the marker stripped off) and an empty value are unreadable too.
        StoreRaw(id, stored[WebhookSecretFormat.ProtectedMarker.Length..]);
        (await RevealAsync(id)).ShouldBeNull();
        StoreRaw(id, "");
        (await RevealAsync(id)).ShouldBeNull();
        RawSecret(id).ShouldBe("");
    }

    [Fact]
    public async Task An_outcome_callback_is_never_sent_unsigned_when_the_secret_is_unreadable()
    {
        var (id, _) = await NewPartnerAsync(callbackUrl: "http://127.0.0.1:9/callback");
        StoreRaw(id, WebhookSecretFormat.ProtectedMarker + "not-a-protected-payload");
        await using var scope = fixture.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IPartnersDbContext>();
        var delivery = WebhookDelivery.Receive(id, "cb-1", "ANY-1", 1, 1, new string('0', 64), fixture.Time.GetUtcNow());
        delivery.Applied(1, fixture.Time.GetUtcNow());
        db.WebhookDeliveries.Add(delivery);
        await db.SaveChangesAsync();

        var sent = await scope.ServiceProvider.GetRequiredService<StockWebhookProcessor>().SendCallbackAsync(delivery, CancellationToken.None);

        sent.ShouldBeFalse();
        var attempt = await db.CallbackAttempts.AsNoTracking().SingleAsync(a => a.DeliveryId == delivery.Id);
        (attempt.StatusCode, attempt.Error).ShouldBe((null, StockWebhookProcessor.SecretUnreadable));
    }
}
