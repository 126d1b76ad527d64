using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Retail.Host.Web;

/// <summary>
/// <c>X-Forwarded-For</c> / <c>X-Forwarded-Proto</c> from a TLS-terminating reverse proxy, honoured only when the
/// connection comes from a proxy listed in configuration (<c>ForwardedHeaders:KnownProxies</c>, IP addresses, and
/// <c>ForwardedHeaders:KnownNetworks</c>, CIDR ranges). Nothing configured (the default) = the headers are ignored: a
/// client cannot change the address rate limits and audits see, nor make the app believe it was reached over HTTPS.
/// From a trusted proxy, <c>X-Forwarded-Proto: https</c> makes the request HTTPS, so the cookies
/// (<c>CookieSecurePolicy.SameAsRequest</c>) carry <c>Secure</c>. <c>X-Forwarded-Host</c> is never applied.
/// </summary>
internal static class ForwardedHeadersSetup
{
    public const string Section = "ForwardedHeaders";

    /// <summary>The trusted proxies and networks from configuration; an invalid entry stops the start (fail fast).</summary>
    public static (IReadOnlyList<IPAddress> Proxies, IReadOnlyList<System.Net.IPNetwork> Networks) ReadTrusted(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var proxies = Entries(section.GetSection("KnownProxies")).Select(p => IPAddress.TryParse(p, out var ip)
            ? ip
            : throw new InvalidOperationException($"{Section}:KnownProxies: '{p}' is not an IP address.")).ToList();
        var networks = Entries(section.GetSection("KnownNetworks")).Select(n => System.Net.IPNetwork.TryParse(n, out var network)
            ? network
            : throw new InvalidOperationException($"{Section}:KnownNetworks: '{n}' is not a CIDR range such as 10.0.0.0/8.")).ToList();
        return (proxies, networks);
    }

    /// <summary>Adds the forwarded-headers middleware when at least one trusted proxy or network is configured.</summary>
    public static WebApplication UseTrustedForwardedHeaders(this WebApplication app)
    {
        var (proxies, networks) = ReadTrusted(app.Configuration);
        if (proxies.Count == 0 && networks.Count == 0)
        {
            return app;
        }

        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto,
            // One proxy in front of the app: only the entry it appended is used, earlier (client-written) ones are not.
            ForwardLimit = 1,
            RequireHeaderSymmetry = false,
        };

        // The defaults trust loopback; only what is configured is trusted.
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in proxies)
        {
            options.KnownProxies.Add(proxy);
        }

        foreach (var network in networks)
        {
            options.KnownIPNetworks.Add(network);
        }

        // The middleware lets a request without a connection address through (servers that do not know it); Kestrel
        // always knows it, so such a request cannot come from a configured proxy and its headers are not applied.
        app.UseWhen(context => context.Connection.RemoteIpAddress is not null, trusted => trusted.UseForwardedHeaders(options));
        return app;
    }

    /// <summary>An array in JSON (<c>"KnownProxies": ["10.0.0.5"]</c>) or one comma-separated value (environment, command line).</summary>
    private static IEnumerable<string> Entries(IConfigurationSection section)
    {
        var values = section.GetChildren().Select(c => c.Value).Append(section.Value);
        return values.Where(v => !string.IsNullOrWhiteSpace(v))
            .SelectMany(v => v!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }
}
