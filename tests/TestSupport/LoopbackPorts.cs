using System.Net;
using System.Net.Sockets;

namespace CleanChat.TestSupport;

/// <summary>
/// Ports for the servers a test starts (hosts, PostgreSQL). A port the kernel hands out for "any free port" comes from
/// the ephemeral range, the same range every outgoing connection takes its local port from: between the look and the
/// server's bind, one of the thousands of connections a load test opens can take it ("address already in use"). These
/// come from below that range, where only servers bind, and are checked free when handed out.
/// </summary>
public static class LoopbackPorts
{
    private const int First = 20_000;
    private const int Count = 12_000; // up to 31,999: Linux's ephemeral range starts at 32,768

    public static int Free()
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var port = First + Random.Shared.Next(Count);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken: another.
            }
        }

        throw new InvalidOperationException($"No free loopback port between {First} and {First + Count - 1} in 100 tries.");
    }
}
