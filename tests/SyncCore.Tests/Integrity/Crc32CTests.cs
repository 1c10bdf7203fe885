using System.Text;
using ReplicaSync.Integrity;

namespace ReplicaSync.Tests.Integrity;

public class Crc32CTests
{
    // RFC 3720 (iSCSI) appendix B.4 test vectors, plus the common "123456789" check value.
    [Theory]
    [InlineData("zeros", 0x8A9136AAu)]
    [InlineData("ones", 0x62A8AB43u)]
    [InlineData("ascending", 0x46DD794Eu)]
    [InlineData("descending", 0x113FDB5Cu)]
    public void Rfc3720_vectors(string pattern, uint expected)
    {
        var data = pattern switch
        {
            "zeros" => new byte[32],
            "ones" => Enumerable.Repeat((byte)0xFF, 32).ToArray(),
            "ascending" => Enumerable.Range(0, 32).Select(i => (byte)i).ToArray(),
            _ => Enumerable.Range(0, 32).Select(i => (byte)(31 - i)).ToArray(),
        };
        Assert.Equal(expected, Crc32C.Compute(data));
        Assert.Equal(expected, ~Crc32C.UpdateTable(~0u, data));
    }

    [Fact]
    public void Check_value_and_format()
    {
        var crc = Crc32C.Compute(Encoding.ASCII.GetBytes("123456789"));
        Assert.Equal(0xE3069283u, crc);
        Assert.Equal("e3069283", Crc32C.Format(crc));
        Assert.Equal(0u, Crc32C.Compute([]));
    }

    /// <summary>Every path this CPU can run (the test names say which ran).</summary>
    public static TheoryData<string> SupportedPaths()
    {
        var data = new TheoryData<string>();
        foreach (var path in Enum.GetValues<Crc32CPath>().Where(Crc32C.IsSupported))
            data.Add(path.ToString());
        return data;
    }

    [Theory]
    [MemberData(nameof(SupportedPaths))]
    public void Every_path_matches_the_table_for_every_length_offset_and_incoming_register(string name)
    {
        var path = Enum.Parse<Crc32CPath>(name);
        var random = new Random(7);
        var data = new byte[40_100];
        random.NextBytes(data);
        // Every length through the fold thresholds and their ragged tails, then lane and block boundaries.
        var lengths = Enumerable.Range(0, 1100)
            .Concat([2047, 2048, 2049, 4096 + 15, 12_287, 12_288, 12_289, 24_576 + 5, 36_864 + 255, 40_000]);
        foreach (var length in lengths)
        {
            foreach (var offset in length < 1100 ? [0, 1, 3, 7, 8, 13] : new[] { 0, 5, 64, 100 })
            {
                var span = data.AsSpan(offset, length);
                var register = (uint)random.Next() ^ ((uint)random.Next() << 16);
                Assert.Equal(Crc32C.UpdateTable(register, span), Crc32C.Update(register, span, path));
            }
        }
        Assert.Equal(0xE3069283u, ~Crc32C.Update(~0u, Encoding.ASCII.GetBytes("123456789"), path));
    }

    [Fact]
    public void The_fastest_path_is_supported_and_is_what_Compute_uses()
    {
        Assert.True(Crc32C.IsSupported(Crc32C.Fastest));
        var data = new byte[70_000];
        new Random(5).NextBytes(data);
        Assert.Equal(~Crc32C.UpdateTable(~0u, data), Crc32C.Compute(data));
        Assert.Equal(~Crc32C.Update(~0u, data, Crc32C.Fastest), Crc32C.Compute(data));
    }

    [Fact]
    public void Powers_of_x_behind_the_fold_constants_match_running_zero_bytes_through_the_table()
    {
        // x^32 mod P is the polynomial without its x^32 term.
        Assert.Equal(0x82F63B78u, Crc32C.XPowerMod(32));
        // The table multiplies the register by x^8 per zero byte; x^0 is the register's top bit (reflected).
        foreach (var bytes in new[] { 0, 1, 4, 16, 48, 256, 520 })
            Assert.Equal(Crc32C.UpdateTable(1u << 31, new byte[bytes]), Crc32C.XPowerMod(8 * bytes));
        foreach (var bits in new[] { 1, 7, 31, 33, 127, 2111 })
        {
            var composed = Crc32C.UpdateTable(Crc32C.XPowerMod(bits % 8), new byte[bits / 8]);
            Assert.Equal(composed, Crc32C.XPowerMod(bits));
        }
    }

    [Fact]
    public void Appending_random_splits_gives_the_one_shot_crc()
    {
        var random = new Random(19);
        var data = new byte[300_000];
        random.NextBytes(data);
        var whole = Crc32C.Compute(data);
        Assert.Equal(~Crc32C.UpdateTable(~0u, data), whole);
        for (var trial = 0; trial < 20; trial++)
        {
            uint appended = 0, combined = 0;
            for (var at = 0; at < data.Length;)
            {
                // Mostly copy-sized chunks, some tiny ones that leave ragged starts.
                var size = Math.Min(data.Length - at, random.Next(4) == 0 ? random.Next(40) : random.Next(140_000));
                var part = data.AsSpan(at, size);
                appended = Crc32C.Append(appended, part);
                combined = Crc32C.Combine(combined, Crc32C.Compute(part), size);
                at += size;
            }
            Assert.Equal(whole, appended);
            Assert.Equal(whole, combined);
        }
    }

    [Fact]
    public void Appending_and_combining_parts_give_the_crc_of_the_whole()
    {
        var data = new byte[100_000];
        new Random(3).NextBytes(data);
        var whole = Crc32C.Compute(data);
        foreach (var cut in new[] { 0, 1, 7, 4096, 65_537, 99_999, 100_000 })
        {
            var a = data.AsSpan(0, cut);
            var b = data.AsSpan(cut);
            Assert.Equal(whole, Crc32C.Append(Crc32C.Compute(a), b));
            Assert.Equal(whole, Crc32C.Combine(Crc32C.Compute(a), Crc32C.Compute(b), b.Length));
        }
        var parts = Enumerable.Range(0, 7).Select(i => data.AsSpan(i * 15_000, Math.Min(15_000, data.Length - i * 15_000)).ToArray()).ToList();
        var combined = Crc32C.Compute(parts[0]);
        foreach (var part in parts.Skip(1))
            combined = Crc32C.Combine(combined, Crc32C.Compute(part), part.Length);
        Assert.Equal(whole, combined);
    }
}
