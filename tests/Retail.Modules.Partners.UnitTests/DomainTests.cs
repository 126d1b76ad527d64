using Microsoft.Extensions.Time.Testing;
using Retail.BuildingBlocks.Domain;
using Retail.Modules.Partners.Application.Keys;
using Retail.Modules.Partners.Domain.Feeds;
using Retail.Modules.Partners.Domain.Partners;
using Retail.Modules.Partners.Domain.Webhooks;

namespace Retail.Modules.Partners.UnitTests;

public sealed class DomainTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void An_api_key_is_stored_as_a_hash_with_a_visible_prefix()
    {
        var (key, plain) = ApiKey.Issue(Guid.NewGuid(), "prod", ApiKeyEnvironment.Live, null, Now);
        plain.ShouldStartWith(key.Prefix + ".");
        key.Prefix.ShouldMatch("^rk_live_[0-9a-f]{8}$");
        key.Hash.ShouldMatch("^[0-9a-f]{64}$");
        key.Hash.ShouldNotContain(plain[(key.Prefix.Length + 1)..]);
        key.Matches(plain).ShouldBeTrue();
        key.Matches(plain + "x").ShouldBeFalse();
        key.Matches(key.Prefix + ".0000").ShouldBeFalse();
        ApiKey.PrefixOf(plain).ShouldBe(key.Prefix);
    }

    [Fact]
    public void A_partner_keeps_the_protected_webhook_secret_it_is_given_and_rotation_replaces_it_with_its_issue_time()
    {
        var partner = Partner.Create("Acme", "a@example.test", null, false, "dp1:first", Now);
        (partner.ProtectedWebhookSecret, partner.WebhookSecretIssuedAt).ShouldBe(("dp1:first", (DateTimeOffset?)Now));

        partner.RotateWebhookSecret("dp1:second", Now.AddDays(3));

        (partner.ProtectedWebhookSecret, partner.WebhookSecretIssuedAt).ShouldBe(("dp1:second", (DateTimeOffset?)Now.AddDays(3)));
        Should.Throw<ArgumentException>(() => partner.RotateWebhookSecret("", Now));
        partner.ProtectedWebhookSecret.ShouldBe("dp1:second");
        partner.AcceptsPreviousWebhookSecret(Now.AddDays(3)).ShouldBeFalse();

        partner.RotateWebhookSecret("dp1:third", Now.AddDays(4), "dp1:second-again", TimeSpan.FromHours(24));
        (partner.PreviousProtectedWebhookSecret, partner.PreviousWebhookSecretValidUntil).ShouldBe(("dp1:second-again", (DateTimeOffset?)Now.AddDays(5)));
        partner.AcceptsPreviousWebhookSecret(Now.AddDays(5).AddSeconds(-1)).ShouldBeTrue();
        partner.AcceptsPreviousWebhookSecret(Now.AddDays(5)).ShouldBeFalse();
        Should.Throw<BusinessRuleValidationException>(() => partner.RotateWebhookSecret("dp1:x", Now, "dp1:y", TimeSpan.FromHours(73)));
        partner.RotateWebhookSecret("dp1:fourth", Now.AddDays(6));
        (partner.PreviousProtectedWebhookSecret, partner.PreviousWebhookSecretValidUntil).ShouldBe((null, null));
    }

    [Fact]
    public void Sandbox_keys_say_so_and_two_keys_differ()
    {
        var (sandbox, plain1) = ApiKey.Issue(Guid.NewGuid(), "test", ApiKeyEnvironment.Sandbox, null, Now);
        var (_, plain2) = ApiKey.Issue(Guid.NewGuid(), "test", ApiKeyEnvironment.Sandbox, null, Now);
        sandbox.IsSandbox.ShouldBeTrue();
        sandbox.Prefix.ShouldStartWith("rk_test_");
        plain1.ShouldNotBe(plain2);
    }

    [Fact]
    public void Revoked_and_expired_keys_are_not_usable()
    {
        var (key, _) = ApiKey.Issue(Guid.NewGuid(), "k", ApiKeyEnvironment.Live, Now.AddDays(2), Now);
        key.IsUsable(Now.AddDays(1)).ShouldBeTrue();
        key.IsUsable(Now.AddDays(2)).ShouldBeFalse();
        var (other, _) = ApiKey.Issue(Guid.NewGuid(), "k", ApiKeyEnvironment.Live, null, Now);
        other.Revoke(Now);
        other.IsUsable(Now).ShouldBeFalse();
    }

    [Fact]
    public void Webhook_signatures_cover_timestamp_and_body()
    {
        var body = "{\"sku\":\"A\",\"quantity\":3,\"sequence\":1}"u8.ToArray();
        var signature = WebhookSignature.Sign("secret", "1700000000", body);
        WebhookSignature.Verify("secret", "1700000000", body, signature).ShouldBeTrue();
        WebhookSignature.Verify("secret", "1700000000", body, "sha256=" + signature).ShouldBeTrue();
        WebhookSignature.Verify("secret", "1700000001", body, signature).ShouldBeFalse();
        WebhookSignature.Verify("other", "1700000000", body, signature).ShouldBeFalse();
        WebhookSignature.Verify("secret", "1700000000", "{}"u8.ToArray(), signature).ShouldBeFalse();
        WebhookSignature.Verify("secret", "1700000000", body, null).ShouldBeFalse();
    }

    [Fact]
    public void Timestamps_older_than_five_minutes_are_stale()
    {
        var time = new FakeTimeProvider(Now);
        var ts = Now.ToUnixTimeSeconds();
        WebhookSignature.IsFresh(ts.ToString(System.Globalization.CultureInfo.InvariantCulture), time.GetUtcNow()).ShouldBeTrue();
        time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        WebhookSignature.IsFresh(ts.ToString(System.Globalization.CultureInfo.InvariantCulture), time.GetUtcNow()).ShouldBeFalse();
        WebhookSignature.IsFresh("not-a-number", Now).ShouldBeFalse();
        WebhookSignature.IsFresh(null, Now).ShouldBeFalse();
    }

    [Fact]
    public void Sequences_ignore_older_updates()
    {
        var sequence = SkuSequence.Start(Guid.NewGuid(), "A", 5);
        sequence.Accepts(4).ShouldBeFalse();
        sequence.Accepts(5).ShouldBeFalse();
        sequence.Accepts(6).ShouldBeTrue();
        sequence.Advance(9);
        sequence.Accepts(8).ShouldBeFalse();
    }

    [Theory]
    [InlineData(100, 20, false)]
    [InlineData(100, 21, true)]
    [InlineData(0, 5, false)]
    [InlineData(10, 0, false)]
    public void The_vanish_guard_pauses_above_the_share(int active, int vanish, bool pause) =>
        VanishGuard.NeedsConfirmation(active, vanish, VanishGuard.DefaultMaxShare).ShouldBe(pause);

    [Fact]
    public void A_job_moves_through_its_states_and_cannot_restart_after_the_end()
    {
        var job = FeedJob.Queue(Guid.NewGuid(), FeedMode.Import, FeedKind.Delta, FeedSource.Api, "csv", "f.csv", new string('a', 64), null, 1000, Now);
        job.Status.ShouldBe(FeedJobStatus.Queued);
        job.Start(Now);
        job.Status.ShouldBe(FeedJobStatus.Validating);
        job.BeginProcessing();
        job.ReportProgress(500, 10);
        job.Percent.ShouldBe(50);
        job.ReportProgress(100, 10);
        job.Percent.ShouldBe(50, "progress never goes back");
        job.Commit(10, created: 7, updated: 1, unchanged: 1, rejected: 1);
        job.Complete(Now.AddSeconds(3));
        job.Status.ShouldBe(FeedJobStatus.CompletedWithErrors);
        job.Percent.ShouldBe(100);
        Should.Throw<BusinessRuleValidationException>(() => job.Start(Now));
    }

    [Fact]
    public void Strict_rejection_counts_every_row_as_rejected()
    {
        var job = FeedJob.Queue(Guid.NewGuid(), FeedMode.Import, FeedKind.Delta, FeedSource.Api, "csv", "f.csv", new string('a', 64), null, 10, Now);
        job.Start(Now);
        job.RejectAll(rowsRead: 10, invalidRows: 1, Now);
        job.Status.ShouldBe(FeedJobStatus.Failed);
        job.Rejected.ShouldBe(10);
        job.Created.ShouldBe(0);
    }

    [Theory]
    [InlineData("https://partner.example.com/hook", false, true)]
    [InlineData("http://partner.example.com/hook", false, true)]
    [InlineData("ftp://partner.example.com/hook", false, false)]
    [InlineData("https://127.0.0.1/hook", false, false)]
    [InlineData("https://10.1.2.3/hook", false, false)]
    [InlineData("https://172.20.0.1/hook", false, false)]
    [InlineData("https://192.168.1.1/hook", false, false)]
    [InlineData("https://169.254.169.254/latest/meta-data", false, false)]
    [InlineData("https://[::1]/hook", false, false)]
    [InlineData("https://localhost/hook", false, false)]
    [InlineData("https://user:pw@partner.example.com/hook", false, false)]
    [InlineData("http://127.0.0.1:5000/hook", true, true)]
    [InlineData(null, false, true)]
    public void Callback_urls_must_be_public_http(string? url, bool allowPrivate, bool allowed) =>
        CallbackUrlPolicy.IsAllowed(url, allowPrivate).ShouldBe(allowed);
}
