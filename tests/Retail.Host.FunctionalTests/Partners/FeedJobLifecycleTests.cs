using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Retail.Host.FunctionalTests.Infrastructure;
using Retail.Modules.Partners.Application.Abstractions;

namespace Retail.Host.FunctionalTests.Partners;

/// <summary>Background feed jobs over HTTP (Hangfire server on): 202, status polling with progress, restart mid-job.</summary>
public sealed class FeedJobLifecycleTests
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_large_feed_is_accepted_with_202_and_its_status_moves_to_completed()
    {
        using var factory = new PartnersAppFactory(null, jobServer: true);
        var partner = await factory.CreatePartnerAsync();
        using var client = factory.PartnerClient(partner.LiveKey);
        var prefix = "L" + Guid.NewGuid().ToString("N")[..7].ToUpperInvariant();

        var clock = Stopwatch.StartNew();
        var response = await client.PostFeedAsync(PartnerSetup.CsvFeed(prefix, 1500), "large.csv");
        clock.Stop();

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var accepted = (await response.Content.ReadFromJsonAsync<FeedJobJson>())!;
        accepted.Status.ShouldBe("Queued");
        response.Headers.Location!.ToString().ShouldBe($"/api/partners/jobs/{accepted.Id}");
        var seen = new List<FeedJobJson>();
        var done = await Eventually.WaitForAsync(async () =>
        {
            var job = (await client.GetFromJsonAsync<FeedJobJson>($"/api/partners/jobs/{accepted.Id}"))!;
            seen.Add(job);
            return job;
        }, j => j.IsFinished, "the feed job to finish", JobTimeout);

        done.Status.ShouldBe("Completed");
        (done.Rows, done.Created, done.Rejected, done.Percent).ShouldBe((1500, 1500, 0, 100));
        seen.Select(j => j.Percent).ShouldBeInOrder(SortDirection.Ascending);
        factory.Scalar("SELECT COUNT(*) FROM catalog_Products WHERE PartnerId = $p", ("$p", partner.CatalogId)).ShouldBe(1500);
    }

    [Fact]
    public async Task A_ten_megabyte_field_is_rejected_on_its_row_and_the_rest_is_imported()
    {
        using var factory = new PartnersAppFactory(null, jobServer: true);
        var partner = await factory.CreatePartnerAsync();
        using var client = factory.PartnerClient(partner.LiveKey);
        var sku = "BIG" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        var feed = $"sku,name,description,price,currency,stock\n{sku}-1,Big," + new string('x', 10 * 1024 * 1024) + $",1.00,USD,1\n{sku}-2,Small,ok,1.00,USD,1\n";

        var response = await client.PostFeedAsync(feed, "big.csv");
        var id = (await response.Content.ReadFromJsonAsync<FeedJobJson>())!.Id;
        var done = await Eventually.WaitForAsync(async () => (await client.GetFromJsonAsync<FeedJobJson>($"/api/partners/jobs/{id}"))!,
            j => j.IsFinished, "the feed job to finish", JobTimeout);

        (done.Status, done.Created, done.Rejected).ShouldBe(("CompletedWithErrors", 1, 1));
        var report = (await client.GetFromJsonAsync<FeedReportJson>($"/api/partners/jobs/{id}/report"))!;
        var error = report.Errors.ShouldHaveSingleItem();
        (error.Line, error.Field, error.Code).ShouldBe((2, "description", "too_long"));
        factory.Scalar("SELECT COUNT(*) FROM catalog_Products WHERE Sku = $s", ("$s", $"{sku}-1")).ShouldBe(0);
    }

    [Fact]
    public async Task A_job_interrupted_by_a_restart_resumes_after_its_last_batch_with_correct_counts()
    {
        var folder = Path.Combine(Path.GetTempPath(), "retail-partners-restart-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var blocker = new BlockAfterFirstBatch();
            TestPartner partner;
            Guid jobId;
            using (var first = new PartnersAppFactory(folder, jobServer: true, services: s => s.AddSingleton<IFeedJobObserver>(blocker)))
            {
                partner = await first.CreatePartnerAsync();
                using var client = first.PartnerClient(partner.LiveKey);
                var response = await client.PostFeedAsync(PartnerSetup.CsvFeed("RST" + Guid.NewGuid().ToString("N")[..5].ToUpperInvariant(), 1000), "restart.csv");
                response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
                jobId = (await response.Content.ReadFromJsonAsync<FeedJobJson>())!.Id;
                await blocker.Blocked.Task.WaitAsync(JobTimeout);
                var midway = (await client.GetFromJsonAsync<FeedJobJson>($"/api/partners/jobs/{jobId}"))!;
                (midway.Status, midway.Created).ShouldBe(("Processing", 100));
            }

            // The first instance is gone mid-job (its in-memory Hangfire queue with it); a new one over the same database resumes.
            using var second = new PartnersAppFactory(folder, jobServer: true);
            using var again = second.PartnerClient(partner.LiveKey);
            var done = await Eventually.WaitForAsync(async () => (await again.GetFromJsonAsync<FeedJobJson>($"/api/partners/jobs/{jobId}"))!,
                j => j.IsFinished, "the resumed job to finish", JobTimeout);

            (done.Status, done.Rows, done.Created, done.Updated, done.Unchanged, done.Rejected).ShouldBe(("Completed", 1000, 1000, 0, 0, 0));
            second.Scalar("SELECT COUNT(*) FROM catalog_Products WHERE PartnerId = $p", ("$p", partner.CatalogId)).ShouldBe(1000);
            second.Scalar("SELECT Attempts FROM partners_FeedJobs WHERE Id = $id COLLATE NOCASE", ("$id", jobId.ToString().ToUpperInvariant())).ShouldBe(2);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Lets the first batch commit, then holds the job until the host shuts down (a crash mid-job, deterministically).</summary>
    private sealed class BlockAfterFirstBatch : IFeedJobObserver
    {
        public TaskCompletionSource Blocked { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task BatchCommittedAsync(Guid jobId, int rowsCommitted, CancellationToken cancellationToken)
        {
            Blocked.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
    }
}
