using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Retail.Modules.Partners.IntegrationTests;

/// <summary>
/// A minimal HTTP/1.1 server on a loopback port (the "partner's server") answering every request with the status and the
/// body and closing the connection, so each request is one connection; counts connections.
/// </summary>
internal sealed class LoopbackServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private int _connections;

    public LoopbackServer(string body, int status = 200)
    {
        _listener.Start();
        var response = Encoding.UTF8.GetBytes(
            $"HTTP/1.1 {status} {(status is >= 200 and < 300 ? "OK" : "Error")}\r\nContent-Type: text/csv\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n\r\n{body}");
        _ = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                    Interlocked.Increment(ref _connections);
                    var stream = client.GetStream();
                    var request = new StringBuilder();
                    var buffer = new byte[4096];
                    while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                    {
                        var read = await stream.ReadAsync(buffer, _stop.Token);
                        if (read == 0)
                        {
                            break;
                        }

                        request.Append(Encoding.ASCII.GetString(buffer, 0, read));
                    }

                    await stream.WriteAsync(response, _stop.Token);
                }
                catch (Exception ex) when (ex is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
                {
                    if (_stop.IsCancellationRequested)
                    {
                        return;
                    }
                }
            }
        });
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>
    /// Connections accepted so far, counting those still waiting in the backlog: a refused request never reaches
    /// connect, and a completed connect is in the backlog before the client's ConnectAsync returns.
    /// </summary>
    public int Connections => Volatile.Read(ref _connections) + (_listener.Pending() ? 1 : 0);

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }
}
