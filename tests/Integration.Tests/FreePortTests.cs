using System.Net;
using System.Net.Sockets;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Integration.Tests;

/// <summary>The ports child servers get: outside the range outgoing connections take theirs from, distinct, and bindable.</summary>
public sealed class FreePortTests
{
    [Fact]
    public void Ports_are_drawn_below_the_ephemeral_range_never_twice_and_can_be_bound()
    {
        var low = FreePort.EphemeralLow();
        var ports = Enumerable.Range(0, 50).Select(_ => FreePort.Next()).ToList();

        Assert.Equal(ports.Count, ports.Distinct().Count());
        if (low - 10000 >= 1000)
            Assert.All(ports, port => Assert.InRange(port, 10000, low - 1));
        foreach (var port in ports.Take(5))
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
        }
    }
}
