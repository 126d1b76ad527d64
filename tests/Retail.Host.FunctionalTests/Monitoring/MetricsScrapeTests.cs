using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Retail.BuildingBlocks.Application;
using Retail.Host.FunctionalTests.Infrastructure;
using Retail.Modules.Ordering.Application.Orders.PlaceOrder;

namespace Retail.Host.FunctionalTests.Monitoring;

/// <summary>
/// Issue 7: <c>/metrics</c> scraped over HTTP after real traffic, parsed as Prometheus text, carries the checkout,
/// rate-limit, payment breaker, flash and ingest instruments (ingest figures after real feeds: MonitoringReturnsPartnersTests).
/// </summary>
[Collection(MetricsScrapeCollection.Name)]
public sealed class MetricsScrapeTests(RetailAppFactory factory) : IClassFixture<RetailAppFactory>
{
    private const string CheckoutAttempts = "retail.checkout.attempts";

    [Fact]
    public async Task Metrics_carry_checkout_outcomes_rate_limits_the_breaker_and_the_flash_listing()
    {
        using var measurements = new HostMeasurements(factory.Services.GetRequiredService<IMeterFactory>(), CheckoutAttempts);
        using var catalogAdmin = await factory.ApiClientAsync(Users.Catalog);
        var sku = await CatalogApi.CreateProductAsync(catalogAdmin, stock: 50, price: 9.50m);
        using var customer = await CheckoutLoad.LoginAsync(factory, await CheckoutLoad.RegisterAsync(factory, "metrics"));
        using var declinedCustomer = await CheckoutLoad.LoginAsync(factory, await CheckoutLoad.RegisterAsync(factory, "metrics-declined"));
        using (var declined = new HttpRequestMessage(HttpMethod.Post, "/api/checkout"))
        {
            declined.Content = JsonContent.Create(new
            {
                items = new[] { new { sku, quantity = 1 } },
                shippingAddress = new { name = "Dee Clined", line1 = "1 Main St", city = "Springfield", postalCode = "12345", country = "US" },
                paymentMethod = "card",
                paymentDetails = new Dictionary<string, string> { ["cardNumber"] = "4000000000000002", ["expiry"] = "12/30" },
            });
            declined.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
            (await declinedCustomer.Client.SendAsync(declined)).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        }

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 7; i++)
        {
            using var response = await CheckoutLoad.CheckoutAsync(customer.Client, sku);
            statuses.Add(response.StatusCode);
        }

        statuses.Count(s => s == HttpStatusCode.Created).ShouldBeGreaterThanOrEqualTo(1);
        statuses.Count(s => s == HttpStatusCode.TooManyRequests).ShouldBeGreaterThanOrEqualTo(1, "5 checkouts per customer per 60 s (SPEC A1)");
        // This host's meter exactly (other test classes run checkouts in parallel in the same process).
        measurements.Sum(CheckoutAttempts, "outcome", "accepted_paid").ShouldBe(statuses.Count(s => s == HttpStatusCode.Created));
        measurements.Sum(CheckoutAttempts, "outcome", "rate_limited").ShouldBe(statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        measurements.Sum(CheckoutAttempts, "outcome", "declined").ShouldBe(1);

        using var browser = factory.Browser();
        (await browser.GetAsync("/api/flash/products")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var scraped = await Eventually.WaitForAsync(
            async () => PrometheusText.Parse(await browser.GetStringAsync("/metrics")),
            m => m.Sum("retail_checkout_attempts_total", ("outcome", "rate_limited")) >= 1 && m.Named("retail_flash_listing_requests_total").Any(),
            "checkout and flash instruments on /metrics");

        scraped.Types["retail_checkout_attempts_total"].ShouldBe("counter");
        // /metrics exports every Retail.* meter of the process: at least this host's counts.
        scraped.Sum("retail_checkout_attempts_total", ("outcome", "accepted_paid")).ShouldBeGreaterThanOrEqualTo(statuses.Count(s => s == HttpStatusCode.Created));
        scraped.Sum("retail_checkout_attempts_total", ("outcome", "rate_limited")).ShouldBeGreaterThanOrEqualTo(statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        scraped.Sum("retail_checkout_attempts_total", ("outcome", "declined")).ShouldBeGreaterThanOrEqualTo(1);
        scraped.Sum("retail_monitoring_rate_limited_total", ("group", "checkout")).ShouldBeGreaterThanOrEqualTo(statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        scraped.Named("retail_payments_circuit_state").ShouldNotBeEmpty("the payment breaker state gauge");
        scraped.Sum("retail_flash_listing_requests_total").ShouldBeGreaterThanOrEqualTo(1);
        scraped.Sum("retail_monitoring_request_duration_seconds_count", ("group", "checkout")).ShouldBeGreaterThanOrEqualTo(statuses.Count);
        scraped.Types["retail_monitoring_request_duration_seconds"].ShouldBe("histogram");
        scraped.Types["retail_partners_ingest_rows_total"].ShouldBe("counter", "the ingest instrument is exported from the start, read from Monitoring's totals");
        scraped.Named("retail_partners_ingest_jobs_total").ShouldNotBeEmpty();
    }

    [Fact]
    public void Every_checkout_refusal_has_its_outcome_tag()
    {
        (Error Error, string Outcome)[] cases =
        [
            (PlaceOrderCommandHandler.Declined(), CheckoutMetrics.Outcomes.Declined),
            (new Error("rate_limited", "Too many", ErrorKind.RateLimited), CheckoutMetrics.Outcomes.RateLimited),
            (Error.Conflict("flash.sold_out", "gone"), CheckoutMetrics.Outcomes.SoldOut),
            (Error.Conflict("ordering.out_of_stock", "gone"), CheckoutMetrics.Outcomes.SoldOut),
            (PlaceOrderCommandHandler.ProductUnavailable("EL-0001"), CheckoutMetrics.Outcomes.SoldOut),
            (Error.Unprocessable("flash.cap_exceeded", "cap"), CheckoutMetrics.Outcomes.CapExceeded),
            (PlaceOrderCommandHandler.Overloaded(), CheckoutMetrics.Outcomes.Overloaded),
            (PlaceOrderCommandHandler.PriceChanged([("EL-0001", "Lamp", 15m, 20m)]), CheckoutMetrics.Outcomes.PriceChanged),
            (PlaceOrderCommandHandler.KeyReused(), CheckoutMetrics.Outcomes.Invalid),
            (PlaceOrderCommandHandler.KeyInProgress(), CheckoutMetrics.Outcomes.Invalid),
            (PlaceOrderCommandHandler.StoreCreditTooHigh(), CheckoutMetrics.Outcomes.Invalid),
        ];

        foreach (var (error, outcome) in cases)
        {
            CheckoutMetrics.OutcomeOf(error).ShouldBe(outcome, error.Code);
        }
    }

    [Fact]
    public void The_parser_rejects_what_is_not_Prometheus_text()
    {
        var parsed = PrometheusText.Parse("# HELP x_total Things\n# TYPE x_total counter\nx_total{a=\"1\",b=\"two \\\"quoted\\\"\"} 3 1700000000000\ny 2.5e-3\n");
        parsed.Sum("x_total", ("b", "two \"quoted\"")).ShouldBe(3);
        parsed.Sum("y").ShouldBe(0.0025);
        Should.Throw<FormatException>(() => PrometheusText.Parse("x_total{a=1} 3"));
        Should.Throw<FormatException>(() => PrometheusText.Parse("x total 3"));
        Should.Throw<FormatException>(() => PrometheusText.Parse("// comment"));
    }
}
