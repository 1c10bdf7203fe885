using BenchmarkDotNet.Attributes;
using ReplicaSync.Integrity;

namespace ReplicaSync.Benchmarks;

/// <summary>
/// <see cref="Crc32C.Append"/> over one buffer of the sizes the copy path hands it (a read chunk, a large chunk).
/// Throughput = Size / mean.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class Crc32CBenchmarks
{
    private byte[] _data = [];

    /// <summary>Buffer size in bytes: 64 KiB or 1 MiB.</summary>
    [Params(64 << 10, 1 << 20)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _data = new byte[Size];
        new Random(1).NextBytes(_data);
    }

    [Benchmark]
    public uint Append() => Crc32C.Append(0x12345678, _data);
}
