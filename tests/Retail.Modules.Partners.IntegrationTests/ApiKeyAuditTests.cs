using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Retail.Modules.Partners.Application.Abstractions;
using Retail.Modules.Partners.Domain.Partners;
using Retail.Modules.Partners.Infrastructure.Auth;

namespace Retail.Modules.Partners.IntegrationTests;

/// <summary>
/// A partner request's audit row (with the key's last use) is queued on the module's group commit and the request goes on
/// meanwhile, so a stock webhook's delivery row, queued after it, commits in the same transaction instead of waiting for a
/// second one; but no answer starts before the audit row is durable. Shown with SQLite's write lock held by another
/// connection: the key check still returns, the answer's start waits, and both finish once the lock is released.
/// </summary>
public sealed class ApiKeyAuditTests(PartnersFixture fixture) : IClassFixture<PartnersFixture>
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

    private async Task<string> IssueKeyAsync(Guid partnerId)
    {
        await using var scope = fixture.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IPartnersDbContext>();
        var (key, plain) = ApiKey.Issue(partnerId, "k", ApiKeyEnvironment.Live, null, fixture.Time.GetUtcNow());
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync();
        return plain;
    }

    /// <summary>The response of a request outside a server: keeps the callbacks registered to run before its answer starts.</summary>
    private sealed class StartingResponseFeature : HttpResponseFeature
    {
        private readonly List<(Func<object, Task> Callback, object State)> _starting = [];

        public override void OnStarting(Func<object, Task> callback, object state) => _starting.Add((callback, state));

        public Task StartAsync() => Task.WhenAll(_starting.Select(s => s.Callback(s.State)));
    }
}
