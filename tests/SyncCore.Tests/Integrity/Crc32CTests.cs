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

    [Fact]
    public void The_hardware_path_matches_the_table_for_every_length_and_alignment()
    {
        var data = new byte[300];
        new Random(7).NextBytes(data);
        for (var start = 0; start < 9; start++)
        {
            for (var length = 0; length < data.Length - start; length += 7)
            {
                var span = data.AsSpan(start, length);
                Assert.Equal(~Crc32C.UpdateTable(~0u, span), Crc32C.Compute(span));
            }
        }
    }

    [Fact]
    public void Long_inputs_run_as_interleaved_lanes_and_still_match_the_table()
    {
        var data = new byte[60_000];
        new Random(11).NextBytes(data);
        foreach (var length in new[] { 12_287, 12_288, 12_289, 24_576 + 5, 59_990 })
            Assert.Equal(~Crc32C.UpdateTable(~0u, data.AsSpan(3, length)), Crc32C.Compute(data.AsSpan(3, length)));
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
