using System.Net;
using System.Net.Sockets;

namespace ReplicaSync.TestSupport;

/// <summary>
/// A TCP port on 127.0.0.1 that was free a moment ago, for child processes that need a fixed port. It is drawn below
/// the kernel's ephemeral range: a port from that range (what binding port 0 gives) can be taken by any outgoing
/// connection between this check and the child's bind, and the suite makes thousands of them.
/// </summary>
public static class FreePort
{
    private const int Lowest = 10000;
    private static readonly HashSet<int> Given = [];

    public static int Next()
    {
        var below = EphemeralLow();
        if (below - Lowest < 1000)
            return AnyEphemeral();
        lock (Given)
        {
            for (var attempt = 0; attempt < 100; attempt++)
            {
                var port = Random.Shared.Next(Lowest, below);
                if (!Given.Contains(port) && IsFree(port))
                {
                    Given.Add(port);
                    return port;
                }
            }
        }
        return AnyEphemeral();
    }

    /// <summary>The low end of <c>net.ipv4.ip_local_port_range</c> (32768 where it cannot be read).</summary>
    public static int EphemeralLow()
    {
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            return int.Parse(range[0]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 32768;
        }
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int AnyEphemeral()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
