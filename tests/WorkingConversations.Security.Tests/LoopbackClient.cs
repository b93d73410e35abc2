using System.Net;
using System.Net.Sockets;

namespace WorkingConversations.Security.Tests;

/// <summary>
/// Plain HTTP from a chosen loopback address (127.0.0.x), so one test can be several callers or a proxy and its
/// clients: no cookies kept, no redirects followed.
/// </summary>
internal static class LoopbackClient
{
    public static HttpClient From(IPAddress address, Uri baseAddress) => new(new SocketsHttpHandler
    {
        UseCookies = false,
        AllowAutoRedirect = false,
        ConnectCallback = async (context, ct) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(address, 0));
                await socket.ConnectAsync(context.DnsEndPoint, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    }) { BaseAddress = baseAddress };
}
