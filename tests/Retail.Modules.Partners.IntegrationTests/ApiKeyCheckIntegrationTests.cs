using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.Modules.Partners.Application.Abstractions;
using Retail.Modules.Partners.Application.Keys;
using Retail.Modules.Partners.Application.Webhooks;
using Retail.Modules.Partners.Domain.Partners;
using Retail.Modules.Partners.Domain.Webhooks;
using Retail.Modules.Partners.Infrastructure.Auth;

namespace Retail.Modules.Partners.IntegrationTests;

/// <summary>
/// The API key check reads the key and its partner in one query and keeps the accepted partner for the rest of the request,
/// so a stock webhook behind it does not read the partner again; a refused key leaves nothing behind. A webhook's repeat is
/// looked up by the delivery id as it was stored (trimmed). The attempt's audit row (with the key's last use) is queued on
/// the module's group commit and the request goes on meanwhile — a webhook's delivery row, queued after it, then commits
/// in the same transaction instead of a second one — but no answer starts before the audit row is durable: shown with
/// SQLite's write lock held by another connection.
/// </summary>
public sealed class ApiKeyCheckIntegrationTests(PartnersFixture fixture) : IClassFixture<PartnersFixture>
{
    [Fact]
    public async Task The_key_check_does_not_wait_for_its_audit_row_but_the_answer_does()
    {
        var (partner, _) = await fixture.NewPartnerAsync();
        var plain = await IssueKeyAsync(partner.Id);
        await using var scope = fixture.Services.CreateAsyncScope();
        var response = new StartingResponseFeature();
        var http = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        http.Features.Set<IHttpResponseFeature>(response);
        http.Request.Path = "/api/partners/webhooks/deliveries";
        http.Request.Headers[ApiKeyAuthenticationHandler.HeaderName] = plain;

        await using var writer = new SqliteConnection($"Data Source={fixture.DatabasePath};Pooling=False");
        await writer.OpenAsync();
        using var holdsTheLock = writer.BeginTransaction(deferred: false); // BEGIN IMMEDIATE

        var result = await http.RequestServices.GetRequiredService<IAuthenticationService>().AuthenticateAsync(http, ApiKeyAuthenticationHandler.SchemeName);
        result.Succeeded.ShouldBeTrue("the key is checked by reading alone; the audit row's commit is not waited for here");
        var answerStarts = response.StartAsync();
        answerStarts.IsCompleted.ShouldBeFalse("the answer waits for the audit row, which waits for the write lock");
        (await AuditRowsAsync(partner.Id)).ShouldBe(0);

        holdsTheLock.Rollback();
        await answerStarts;

        (await AuditRowsAsync(partner.Id)).ShouldBe(1);
        await using var read = fixture.Services.CreateAsyncScope();
        (await read.ServiceProvider.GetRequiredService<IPartnersDbContext>().ApiKeys.SingleAsync(k => k.PartnerId == partner.Id))
            .LastUsedAt.ShouldBe(fixture.Time.GetUtcNow());
    }

    private async Task<int> AuditRowsAsync(Guid partnerId)
    {
        await using var scope = fixture.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IPartnersDbContext>().AuthAudit.CountAsync(a => a.PartnerId == partnerId);
    }

    [Fact]
    public async Task An_accepted_key_keeps_its_partner_for_the_request_and_a_refused_one_keeps_none()
    {
        var (partner, _) = await fixture.NewPartnerAsync();
        var plain = await IssueKeyAsync(partner.Id);

        await using (var scope = fixture.Services.CreateAsyncScope())
        {
            var check = await scope.ServiceProvider.GetRequiredService<ApiKeyAuthenticator>().AuthenticateAsync(plain, "10.0.0.1", "/api/partners/jobs", CancellationToken.None);
            check.Outcome.ShouldBe(AuthOutcome.Success);
            scope.ServiceProvider.GetRequiredService<AuthenticatedPartner>().Partner.ShouldNotBeNull().Id.ShouldBe(partner.Id);
        }

        await using (var scope = fixture.Services.CreateAsyncScope())
        {
            var forged = plain[..^1] + (plain[^1] == '0' ? "1" : "0");
            (await scope.ServiceProvider.GetRequiredService<ApiKeyAuthenticator>().AuthenticateAsync(forged, "10.0.0.1", "/api/partners/jobs", CancellationToken.None))
                .Outcome.ShouldBe(AuthOutcome.WrongSecret);
            scope.ServiceProvider.GetRequiredService<AuthenticatedPartner>().Partner.ShouldBeNull();
        }

        Execute("UPDATE partners_Partners SET IsActive = 0 WHERE Id = $id", partner.Id);
        await using (var scope = fixture.Services.CreateAsyncScope())
        {
            (await scope.ServiceProvider.GetRequiredService<ApiKeyAuthenticator>().AuthenticateAsync(plain, "10.0.0.1", "/api/partners/jobs", CancellationToken.None))
                .Outcome.ShouldBe(AuthOutcome.PartnerInactive);
            scope.ServiceProvider.GetRequiredService<AuthenticatedPartner>().Partner.ShouldBeNull();
        }
    }

    [Fact]
    public async Task A_webhook_behind_an_accepted_key_does_not_read_its_partner_again()
    {
        var (partner, secret) = await fixture.NewPartnerAsync();
        var plain = await IssueKeyAsync(partner.Id);
        await using var scope = fixture.Services.CreateAsyncScope();
        var commands = fixture.Commands.Record();
        (await scope.ServiceProvider.GetRequiredService<ApiKeyAuthenticator>().AuthenticateAsync(plain, "10.0.0.1", "/api/partners/webhooks/stock", CancellationToken.None))
            .Outcome.ShouldBe(AuthOutcome.Success);
        var readsOfPartners = commands.Count(IsPartnerRead);
        readsOfPartners.ShouldBe(1, "the key check reads the key with its partner");

        var received = await ReceiveSignedAsync(scope, partner.Id, secret, "d-1", "AB-1");

        received.IsSuccess.ShouldBeTrue();
        received.Value.Status.ShouldBe(nameof(DeliveryStatus.Received));
        commands.Count(IsPartnerRead).ShouldBe(readsOfPartners, "the receiver used the partner the key check read");
    }

    [Fact]
    public async Task A_webhook_without_a_key_check_in_its_scope_reads_its_partner()
    {
        var (partner, secret) = await fixture.NewPartnerAsync();
        await using var scope = fixture.Services.CreateAsyncScope();

        var received = await ReceiveSignedAsync(scope, partner.Id, secret, "d-2", "AB-2");

        received.IsSuccess.ShouldBeTrue();
    }

    [Fact]
    public async Task A_repeat_with_spaces_around_its_delivery_id_reports_the_first_delivery()
    {
        var (partner, secret) = await fixture.NewPartnerAsync();
        Guid first;
        await using (var scope = fixture.Services.CreateAsyncScope())
        {
            first = (await ReceiveSignedAsync(scope, partner.Id, secret, " d-3 ", "AB-3")).Value.Id;
        }

        await using (var scope = fixture.Services.CreateAsyncScope())
        {
            var repeat = await ReceiveSignedAsync(scope, partner.Id, secret, " d-3 ", "AB-3");

            repeat.IsSuccess.ShouldBeTrue();
            repeat.Value.Id.ShouldBe(first, "the repeat is the first delivery, not a second one or a failure");
            repeat.Value.DeliveryId.ShouldBe("d-3");
        }
    }

    /// <summary>A stock webhook for the SKU, signed with the partner's secret, through the real receiver in the scope.</summary>
    private Task<Result<WebhookDeliveryDto>> ReceiveSignedAsync(AsyncServiceScope scope, Guid partnerId, string secret, string deliveryId, string sku)
    {
        var body = Encoding.UTF8.GetBytes($"{{\"sku\":\"{sku}\",\"quantity\":3,\"sequence\":1}}");
        var timestamp = fixture.Time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return scope.ServiceProvider.GetRequiredService<StockWebhookReceiver>().ReceiveAsync(
            partnerId, deliveryId, timestamp, "sha256=" + WebhookSignature.Sign(secret, timestamp, body), body, "10.0.0.1", "/api/partners/webhooks/stock", CancellationToken.None);
    }

    private static bool IsPartnerRead(string sql) => sql.Contains("FROM \"partners_Partners\"", StringComparison.Ordinal) || sql.Contains("JOIN \"partners_Partners\"", StringComparison.Ordinal);

    private async Task<string> IssueKeyAsync(Guid partnerId)
    {
        await using var scope = fixture.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IPartnersDbContext>();
        var (key, plain) = ApiKey.Issue(partnerId, "k", ApiKeyEnvironment.Live, null, fixture.Time.GetUtcNow());
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync();
        return plain;
    }

    private void Execute(string sql, Guid id)
    {
        using var connection = new SqliteConnection($"Data Source={fixture.DatabasePath}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$id", id.ToString().ToUpperInvariant());
        command.ExecuteNonQuery().ShouldBe(1);
    }

    /// <summary>The response of a request outside a server: keeps the callbacks registered to run before its answer starts.</summary>
    private sealed class StartingResponseFeature : HttpResponseFeature
    {
        private readonly List<(Func<object, Task> Callback, object State)> _starting = [];

        public override void OnStarting(Func<object, Task> callback, object state) => _starting.Add((callback, state));

        public Task StartAsync() => Task.WhenAll(_starting.Select(s => s.Callback(s.State)));
    }
}
