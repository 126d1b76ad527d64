using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Retail.Modules.Partners.Application;
using Retail.Modules.Partners.Application.Keys;

namespace Retail.Modules.Partners.Infrastructure.Outbound;

/// <summary>Name resolution of the outbound clients, replaceable in tests (a name can then answer what a rebinding DNS server would).</summary>
internal interface IHostAddressResolver
{
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken);
}

internal sealed class DnsHostAddressResolver : IHostAddressResolver
{
    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) => Dns.GetHostAddressesAsync(host, cancellationToken);
}

/// <summary>
/// The connect step of the Partners module's outbound HTTP clients (scheduled feed fetches, outcome callbacks): it resolves
/// the host, refuses it unless every address is public (<see cref="CallbackUrlPolicy.IsPublic"/>; development may allow
/// private ones, <see cref="PartnersOptions.AllowPrivateCallbackUrls"/>) and dials those very addresses. A check before the
/// request is not enough on its own: HttpClient would resolve the name again to connect, and a name answering a public
/// address to the check and 127.0.0.1 to the connection (DNS rebinding) would reach the shop's own network.
/// </summary>
internal sealed class PublicAddressConnector(IHostAddressResolver resolver, IOptions<PartnersOptions> options)
{
    public const string Refused = "not a public address";

    /// <summary>The primary handler of both outbound clients.</summary>
    public SocketsHttpHandler CreateHandler() => new()
    {
        // No redirects: only the URL as given is checked, so a followed 3xx would be a request nobody looked at.
        AllowAutoRedirect = false,
        // No proxy: a proxy would resolve the name and connect itself, to an address this check never saw.
        UseProxy = false,
        ConnectCallback = ConnectAsync,
    };

    /// <summary>
    /// The host's addresses when they may be dialled (an IP literal is taken as is); null when one is not public and private
    /// addresses are not allowed. Resolution failures throw (<see cref="SocketException"/>).
    /// </summary>
    public async Task<IPAddress[]?> ResolveAllowedAsync(string host, CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await resolver.ResolveAsync(host, cancellationToken);
        if (addresses.Length == 0)
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }

        return options.Value.AllowPrivateCallbackUrls || addresses.All(CallbackUrlPolicy.IsPublic) ? addresses : null;
    }

    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var endpoint = context.DnsEndPoint;
        var addresses = await ResolveAllowedAsync(endpoint.Host, cancellationToken)
            ?? throw new HttpRequestException(HttpRequestError.ConnectionError, $"{endpoint.Host} resolves to {Refused}; outbound requests go to public addresses only.");

        SocketException? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, endpoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex)
            {
                // The next address of the same (checked) answer, as HttpClient itself would try them.
                socket.Dispose();
                last = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last!;
    }
}
