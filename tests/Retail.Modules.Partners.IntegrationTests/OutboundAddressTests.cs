using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Retail.Modules.Partners.Application;
using Retail.Modules.Partners.Application.Abstractions;
using Retail.Modules.Partners.Infrastructure;
using Retail.Modules.Partners.Infrastructure.Outbound;

namespace Retail.Modules.Partners.IntegrationTests;

/// <summary>
/// The outbound clients (scheduled feed fetches, outcome callbacks) connect only to addresses they checked: a host name is
/// resolved once, in the connect step, and that very address is dialled. The "partner's server" is a real socket on
/// loopback; the resolver is a test double so a name can answer what a rebinding DNS server would.
/// </summary>
public sealed class OutboundAddressTests
{
    private static readonly IPAddress PublicAddress = IPAddress.Parse("203.0.113.10");

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("10.1.2.3")]
    [InlineData("192.168.1.20")]
    [InlineData("169.254.169.254")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    public async Task The_connect_step_refuses_a_name_resolving_to_a_non_public_address_and_dials_nothing(string answer)
    {
        using var server = new LoopbackServer("ok");
        var connector = new PublicAddressConnector(new ScriptedResolver(IPAddress.Parse(answer)), Allow(privateAddresses: false));
        using var http = new HttpClient(connector.CreateHandler());

        var refused = await Should.ThrowAsync<HttpRequestException>(() => http.GetAsync($"http://feeds.partner.test:{server.Port}/products.csv"));

        refused.ToString().ShouldContain("not a public address");
        server.Connections.ShouldBe(0);
    }

    [Fact]
    public async Task A_name_with_one_private_address_among_public_ones_is_refused()
    {
        using var server = new LoopbackServer("ok");
        var connector = new PublicAddressConnector(new ScriptedResolver(PublicAddress, IPAddress.Loopback), Allow(privateAddresses: false));
        using var http = new HttpClient(connector.CreateHandler());

        await Should.ThrowAsync<HttpRequestException>(() => http.GetAsync($"http://feeds.partner.test:{server.Port}/products.csv"));

        server.Connections.ShouldBe(0);
    }

    [Fact]
    public async Task With_private_addresses_allowed_the_connect_step_dials_the_address_it_resolved()
    {
        // The development/test allowance: a name resolving to loopback is reached, through the same connect step.
        using var server = new LoopbackServer("sku,name\nA-1,Lamp\n");
        var connector = new PublicAddressConnector(new ScriptedResolver(IPAddress.Loopback), Allow(privateAddresses: true));
        using var http = new HttpClient(connector.CreateHandler());

        (await http.GetStringAsync($"http://feeds.partner.test:{server.Port}/products.csv")).ShouldBe("sku,name\nA-1,Lamp\n");
        server.Connections.ShouldBe(1);
    }

    [Fact]
    public async Task A_feed_url_whose_name_rebinds_to_loopback_after_the_check_is_not_fetched()
    {
        using var server = new LoopbackServer("sku,name,price,currency,stock\nRB-1,Rebound lamp,9.99,USD,3\n");
        await using var services = Module(new ScriptedResolver([PublicAddress], [IPAddress.Loopback]));
        await using var scope = services.CreateAsyncScope();
        var fetcher = scope.ServiceProvider.GetRequiredService<IFeedFetcher>();

        var (feed, _) = await fetcher.FetchAsync($"http://feeds.partner.test:{server.Port}/products.csv", 1_000_000, CancellationToken.None);

        feed.ShouldBeNull();
        server.Connections.ShouldBe(0);
    }

    [Fact]
    public async Task An_outcome_callback_whose_name_rebinds_to_loopback_after_the_check_is_not_delivered()
    {
        using var server = new LoopbackServer("ok");
        await using var services = Module(new ScriptedResolver([PublicAddress], [IPAddress.Loopback]));
        await using var scope = services.CreateAsyncScope();
        var callbacks = scope.ServiceProvider.GetRequiredService<ICallbackClient>();

        var attempts = await callbacks.DeliverAsync($"http://hooks.partner.test:{server.Port}/outcome", () => ("1", "00"), "{}"u8.ToArray(), CancellationToken.None);

        attempts.Count.ShouldBe(2);
        attempts.ShouldAllBe(a => a.StatusCode == null && a.Error!.Contains(PublicAddressConnector.Refused));
        server.Connections.ShouldBe(0);
    }

    private static IOptions<PartnersOptions> Allow(bool privateAddresses) => Options.Create(new PartnersOptions { AllowPrivateCallbackUrls = privateAddresses });

    /// <summary>The module's registrations as the Host makes them, production settings (no private addresses), one quick callback retry.</summary>
    private static ServiceProvider Module(IHostAddressResolver resolver)
    {
        var folder = Path.Combine(Path.GetTempPath(), "retail-partners-outbound-" + Guid.NewGuid().ToString("N"));
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Retail"] = $"Data Source={Path.Combine(folder, "retail.db")}",
                ["Partners:StorageFolder"] = Path.Combine(folder, "feeds"),
                ["Partners:CallbackRetries"] = "1",
                ["Partners:CallbackBaseDelay"] = "00:00:00.001",
            })
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddPartnersModule(configuration);
        services.AddSingleton(resolver);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    /// <summary>Answers the n-th lookup with the n-th list (the last list from then on), whatever the name.</summary>
    private sealed class ScriptedResolver(params IPAddress[][] answers) : IHostAddressResolver
    {
        private int _lookups;

        public ScriptedResolver(params IPAddress[] answer)
            : this([answer])
        {
        }

        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
        {
            var n = Interlocked.Increment(ref _lookups) - 1;
            return Task.FromResult(answers[Math.Min(n, answers.Length - 1)]);
        }
    }
}
