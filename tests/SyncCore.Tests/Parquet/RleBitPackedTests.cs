using ReplicaSync.Parquet;

namespace ReplicaSync.Tests.Parquet;

/// <summary>The RLE/bit-packed hybrid used for levels and dictionary indices.</summary>
public sealed class RleBitPackedTests
{
    [Theory]
    [InlineData(1, 0)]
    [InlineData(1, 1)]
    [InlineData(2, 7)]
    [InlineData(3, 8)]
    [InlineData(5, 1000)]
    [InlineData(17, 5000)]
    [InlineData(32, 777)]
    public void Values_round_trip_at_every_width(int bitWidth, int count)
    {
        var random = new Random(bitWidth * 1000 + count);
        var max = bitWidth == 32 ? int.MaxValue : (1 << bitWidth) - 1;
        // Runs and noise mixed, so both RLE runs and bit-packed groups appear.
        var values = Enumerable.Range(0, count).Select(i => (i / 37) % 3 == 0 ? max / 2 : random.Next(0, max)).ToArray();
        using var buffer = new PooledBuffer();
        RleBitPackedEncoder.Encode(values, bitWidth, buffer);
        var decoded = new int[count];
        RleBitPackedDecoder.Decode(buffer.WrittenSpan, bitWidth, decoded.AsSpan());
        Assert.Equal(values, decoded);
    }

    [Fact]
    public void A_long_run_encodes_in_a_few_bytes()
    {
        var levels = new byte[1_000_000];
        using var buffer = new PooledBuffer();
        RleBitPackedEncoder.Encode(levels, 1, buffer);
        Assert.True(buffer.Length <= 5);
    }

    [Fact]
    public void Forged_group_count_does_not_overflow()
    {
        // Bit-packed header with 2^59 groups: groups * width overflows 64 bits unless checked first.
        var header = new List<byte>();
        for (var value = (1UL << 59 << 1) | 1; value != 0; value >>= 7)
            header.Add((byte)((value & 0x7F) | (value >= 0x80 ? 0x80u : 0)));
        Assert.Throws<InvalidDataException>(() => RleBitPackedDecoder.Decode([.. header], 32, new int[100].AsSpan()));
    }

    [Fact]
    public void Data_ending_early_throws()
    {
        Assert.Throws<InvalidDataException>(() => RleBitPackedDecoder.Decode([0x10, 1], 1, new byte[9].AsSpan())); // run of 8, need 9
        Assert.Throws<InvalidDataException>(() => RleBitPackedDecoder.Decode([0x03], 3, new byte[8].AsSpan()));      // one group, no bytes
        Assert.Throws<InvalidDataException>(() => RleBitPackedDecoder.Decode([0x02, 0x05], 2, new byte[1].AsSpan())); // value wider than 2 bits
    }
}
