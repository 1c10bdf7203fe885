using System.Net;

namespace ReplicaSync.Benchmarks.Wan;

/// <summary>The delaying file server's command line.</summary>
internal sealed record ServerOptions(string Root, IPEndPoint Listen, string Certificate, string Key, TimeSpan RoundTrip, int FirstByteMin, int FirstByteMax)
{
    /// <summary>A first-byte latency drawn uniformly from the configured range, as an object store's varies.</summary>
    public TimeSpan FirstByteDelay() => TimeSpan.FromMilliseconds(Random.Shared.Next(FirstByteMin, FirstByteMax + 1));

    public static ServerOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
            values[args[i]] = args[i + 1];
        string Required(string name) => values.TryGetValue(name, out var v) ? v : throw new ArgumentException($"{name} is required");
        var firstByte = (values.GetValueOrDefault("--first-byte-ms") ?? "20-50").Split('-');
        return new ServerOptions(
            Path.GetFullPath(Required("--root")),
            IPEndPoint.Parse(Required("--listen")),
            Required("--cert"),
            Required("--key"),
            TimeSpan.FromMilliseconds(int.Parse(values.GetValueOrDefault("--rtt-ms") ?? "40", System.Globalization.CultureInfo.InvariantCulture)),
            int.Parse(firstByte[0], System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(firstByte[^1], System.Globalization.CultureInfo.InvariantCulture));
    }
}
