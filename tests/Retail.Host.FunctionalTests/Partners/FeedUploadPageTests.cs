using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using Retail.Host.FunctionalTests.Infrastructure;
using Retail.Host.Pages.Partner;
using Retail.Modules.Partners.Application;

namespace Retail.Host.FunctionalTests.Partners;

/// <summary>The portal's feed upload page (<c>/partner/upload</c>) through the real pipeline: cookies, antiforgery, multipart.</summary>
public sealed class FeedUploadPageTests(PartnersAppFactory factory) : IClassFixture<PartnersAppFactory>
{
    [Fact]
    public async Task A_feed_over_the_pages_form_limit_is_a_413_saying_the_largest_feed_the_page_accepts_with_a_reference_and_no_job()
    {
        var partner = await factory.CreatePartnerAsync();
        using var portal = await FeedScheduleTests.PortalUserAsync(factory, partner);
        var form = await portal.GetStringAsync("/partner/upload");
        var huge = new byte[PartnerPortalLimits.MaxUploadBytes + 1];
        "sku,name,price,currency,stock\n"u8.CopyTo(huge);

        using var content = new MultipartFormDataContent();
        content.Add(new StringContent(Html.AntiforgeryToken(form)), "__RequestVerificationToken");
        var file = new ByteArrayContent(huge);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        content.Add(file, "Feed", "products.csv");
        var refused = await portal.PostAsync("/partner/upload", content);

        refused.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge, "not the generic 400 of an antiforgery check that could not read the form");
        var html = await refused.Content.ReadAsStringAsync();
        // The test host's Partners:MaxFeedBytes (12 MB) is below the page's 50 MB: that is the largest feed either accepts.
        Html.Text(html).ShouldContain("This page accepts feed files up to 12 MB");
        Html.Text(html).ShouldNotContain("/api/partners/feeds");
        Html.ShouldBeFriendlyErrorPage(html);
        factory.Scalar("SELECT COUNT(*) FROM partners_FeedJobs WHERE PartnerId = $p COLLATE NOCASE", ("$p", partner.Id.ToString().ToUpperInvariant())).ShouldBe(0);
    }

    [Fact]
    public async Task A_feed_within_the_pages_form_limit_but_over_MaxFeedBytes_is_a_413_on_the_form_naming_the_limit_with_a_reference_and_no_job()
    {
        var partner = await factory.CreatePartnerAsync();
        using var portal = await FeedScheduleTests.PortalUserAsync(factory, partner);
        var form = await portal.GetStringAsync("/partner/upload");
        // 13 MB: under the page's 50 MB form limit, over the test host's Partners:MaxFeedBytes of 12 MB.
        var large = new byte[13 * 1024 * 1024];
        large.AsSpan().Fill((byte)'x');
        "sku,name,price,currency,stock\n"u8.CopyTo(large);

        using var content = new MultipartFormDataContent();
        content.Add(new StringContent(Html.AntiforgeryToken(form)), "__RequestVerificationToken");
        var file = new ByteArrayContent(large);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        content.Add(file, "Feed", "products.csv");
        var refused = await portal.PostAsync("/partner/upload", content);

        refused.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        var html = await refused.Content.ReadAsStringAsync();
        // The words the form limit's 413 uses (FeedUploadTooLargeMessage), not "The feed is larger than the limit."
        Html.Text(html).ShouldContain("The feed file is too large. This page accepts feed files up to 12 MB.");
        Html.Text(html).ShouldContain("Reference:");
        html.ShouldContain("id=\"upload-form\"", customMessage: "the form stays, so a smaller file can be chosen");
        Html.ShouldNotLeakExceptionDetails(html);
        factory.Scalar("SELECT COUNT(*) FROM partners_FeedJobs WHERE PartnerId = $p COLLATE NOCASE", ("$p", partner.Id.ToString().ToUpperInvariant())).ShouldBe(0);
    }

    [Theory]
    [InlineData(12L * 1024 * 1024, "This page accepts feed files up to 12 MB.", null)]
    [InlineData(50L * 1024 * 1024, "This page accepts feed files up to 50 MB.", null)]
    [InlineData(200L * 1024 * 1024, "This page accepts feed files up to 50 MB.", "Send larger feeds, up to 200 MB, through the API (POST /api/partners/feeds).")]
    public void The_message_names_the_largest_feed_the_page_accepts_and_the_API_only_when_it_accepts_larger_ones(long maxFeedBytes, string accepts, string? api)
    {
        var text = new FeedUploadTooLargeMessage(Options.Create(new PartnersOptions { MaxFeedBytes = maxFeedBytes })).Text;

        text.ShouldContain(accepts);
        if (api is null)
        {
            text.ShouldNotContain("/api/partners/feeds");
        }
        else
        {
            text.ShouldContain(api);
        }
    }
}
