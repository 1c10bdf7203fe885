using System.Net;
using System.Net.Sockets;

namespace ReplicaSync.TestSupport;

/// <summary>A TCP port on 127.0.0.1 that was free a moment ago, for child processes that need a fixed port.</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
