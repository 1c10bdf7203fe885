using System.Text;

namespace ReplicaSync.Tests.Text;

public sealed class NdjsonLineReaderTests
{
    private static async Task<List<string>> ReadAllAsync(string text, int maxLineBytes = NdjsonLineReader.DefaultMaxLineBytes)
    {
        // A few bytes per read, so lines cross read boundaries.
        var reader = new NdjsonLineReader(new TrickleStream(Encoding.UTF8.GetBytes(text)), maxLineBytes);
        var lines = new List<string>();
        while (await reader.ReadLineAsync(CancellationToken.None) is { } line)
            lines.Add(Encoding.UTF8.GetString(line.Span));
        Assert.Equal(lines.Count, reader.LineNumber);
        return lines;
    }

    [Fact]
    public async Task SplitsOnLf_StripsCr_AndKeepsALastLineWithoutNewline() =>
        Assert.Equal(["a", "", "b", "c"], await ReadAllAsync("a\n\r\nb\r\nc"));

    [Fact]
    public async Task EmptyStream_HasNoLines() => Assert.Empty(await ReadAllAsync(""));

    [Fact]
    public async Task LinesLongerThanTheBuffer_AreReassembled()
    {
        var big = new string('x', 100_000);

        Assert.Equal(["s", big, "t", big + "y"], await ReadAllAsync($"s\n{big}\nt\n{big}y\n"));
    }

    [Fact]
    public async Task LineOverTheLimit_IsAProtocolError()
    {
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => ReadAllAsync("ok\n" + new string('x', 40_000) + "\n", maxLineBytes: 32_000));

        Assert.Contains("line 2", e.Message);
    }

    /// <summary>Hands out at most 7 bytes per read, like a slow network.</summary>
    private sealed class TrickleStream(byte[] data) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(7, buffer.Length)], cancellationToken);
    }
}
