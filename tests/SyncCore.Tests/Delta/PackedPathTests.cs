using System.Security.Cryptography;
using System.Text;
using ReplicaSync.Delta;

namespace ReplicaSync.Tests.Delta;

public class PackedPathTests
{
    public static TheoryData<string> Paths => new()
    {
        "",
        "a",
        "p=1/part-00000-2befed33-c358-4768-a43c-3eda0d2a499d-c000.snappy.parquet",
        $"x=1/part-{Hex(16)}.parquet",
        $"x=1/part-{Hex(32)}.parquet",
        $"{Hex(32)}",
        $"{Hex(32)[..31]}/{Hex(32)[..32]}/{Hex(32)[..33]}",
        $"ab{Hex(32).ToUpperInvariant()}cd",
        $"run-{string.Concat(Enumerable.Repeat(Hex(32), 5))}-end",
        $"fïlé-ü-{Hex(32)}-日本.parquet",
        "\u00ff\u00fe/ÿ",
    };

    [Theory]
    [MemberData(nameof(Paths))]
    public void Unpacking_gives_back_the_path(string path)
    {
        var utf8 = Encoding.UTF8.GetBytes(path);
        var packed = new byte[utf8.Length];
        var length = PackedPath.Pack(utf8, packed);
        Assert.InRange(length, 0, utf8.Length);
        Assert.Equal(utf8.Length, PackedPath.UnpackedLength(packed.AsSpan(0, length)));
        var unpacked = new byte[utf8.Length];
        Assert.Equal(utf8.Length, PackedPath.Unpack(packed.AsSpan(0, length), unpacked));
        Assert.Equal(path, Encoding.UTF8.GetString(unpacked));
    }

    [Fact]
    public void A_replica_name_with_a_sha256_id_packs_to_about_half_its_id()
    {
        var utf8 = Encoding.UTF8.GetBytes($"part=p07/part-{Hex(32)}.parquet");
        var packed = new byte[utf8.Length];
        // 64 digits become a marker, a count and 32 bytes.
        Assert.Equal(utf8.Length - 64 + 34, PackedPath.Pack(utf8, packed));
    }

    [Fact]
    public void Different_paths_pack_differently()
    {
        var seen = new HashSet<string>();
        var random = new Random(7);
        for (var i = 0; i < 5_000; i++)
        {
            // Mostly hex with a few other bytes, runs around the packing threshold, few enough digits to repeat.
            var path = string.Concat(Enumerable.Range(0, random.Next(28, 70)).Select(_ => "0123456789abcdef/A"[random.Next(random.Next(2) == 0 ? 2 : 18)]));
            var utf8 = Encoding.UTF8.GetBytes(path);
            var packed = new byte[utf8.Length];
            var key = Convert.ToHexString(packed, 0, PackedPath.Pack(utf8, packed));
            Assert.Equal(seen.Add(path), seen.Add("packed:" + key));
        }
    }

    private static string Hex(int bytes) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(bytes));
}
