using System.Text;
using ReplicaSync.Parquet;

namespace ReplicaSync.Tests.Parquet;

/// <summary>The own Snappy codec: round trips of random, repetitive and boundary-sized data, and rejection of corrupt blocks.</summary>
public sealed class SnappyTests
{
    public static TheoryData<int> Sizes() => [0, 1, 14, 15, 16, 100, 65_535, 65_536, 65_537, 200_000, 1_048_576 + 3];

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Random_bytes_round_trip(int size)
    {
        var data = new byte[size];
        new Random(size).NextBytes(data);
        var compressed = RoundTrip(data);
        // Incompressible input grows by at most the literal headers and the length preamble.
        Assert.True(compressed <= SnappyCompressor.MaxCompressedLength(size));
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Repetitive_bytes_round_trip_and_shrink(int size)
    {
        var text = string.Concat(Enumerable.Range(0, size / 10 + 1).Select(i => $"row {i % 50},path=x/{i % 7};"));
        var data = Encoding.ASCII.GetBytes(text)[..size];
        var compressed = RoundTrip(data);
        if (size >= 1000)
            Assert.True(compressed < size / 3, $"{size} bytes compressed to {compressed}");
    }

    [Fact]
    public void Long_runs_and_overlapping_copies_round_trip()
    {
        var data = new byte[300_000];
        data.AsSpan(1000, 100_000).Fill(7); // one long run: copies overlapping their own output
        for (var i = 150_000; i < data.Length; i++)
            data[i] = (byte)(i % 3); // period-3 pattern: offsets shorter than the copy
        Assert.True(RoundTrip(data) < 20_000);
    }

    [Fact]
    public void Decompresses_a_block_encoded_by_hand()
    {
        // Preamble 8; literal "ab" (tag 0x04); copy-1 of length 6 at offset 2 (tag 0b0_00_010_01 = 0x09, offset 2).
        byte[] block = [8, 0x04, (byte)'a', (byte)'b', 0x09, 2];
        var output = new byte[8];
        SnappyDecompressor.Decompress(block, output);
        Assert.Equal("abababab", Encoding.ASCII.GetString(output));
    }

    public static TheoryData<byte[]> CorruptBlocks() =>
    [
        [],                                   // no preamble
        [0x80],                               // preamble cut short
        [5, 0x10, 1, 2],                      // literal of 5 with 2 bytes present
        [4, 0x05, 9],                         // copy before any output
        [8, 0x04, 1, 2, 0x09, 3],             // copy offset past the output written
        [2, 0x04, 1, 2, 0x09, 2],             // output longer than announced
        [6, 0x04, 1, 2],                      // output shorter than announced
        [4, 0xF0, 0xFF, 0xFF, 0xFF, 0x7F],    // literal length beyond the input
    ];

    [Theory]
    [MemberData(nameof(CorruptBlocks))]
    public void Corrupt_blocks_throw_InvalidDataException(byte[] block)
    {
        Assert.Throws<InvalidDataException>(() =>
        {
            var length = SnappyDecompressor.GetUncompressedLength(block);
            SnappyDecompressor.Decompress(block, new byte[length]);
        });
    }

    private static int RoundTrip(byte[] data)
    {
        var compressed = new byte[SnappyCompressor.MaxCompressedLength(data.Length)];
        var length = SnappyCompressor.Compress(data, compressed);
        Assert.Equal(data.Length, SnappyDecompressor.GetUncompressedLength(compressed.AsSpan(0, length)));
        var output = new byte[data.Length];
        SnappyDecompressor.Decompress(compressed.AsSpan(0, length), output);
        Assert.True(data.AsSpan().SequenceEqual(output));
        return length;
    }
}
