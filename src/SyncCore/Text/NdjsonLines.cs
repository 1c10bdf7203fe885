using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;

namespace ReplicaSync;

/// <summary>Splits a UTF-8 stream into lines without buffering the whole stream; a trailing '\r' is dropped.</summary>
public static class NdjsonLines
{
    /// <summary>Maximum length of one line; a longer one is an error rather than unbounded memory.</summary>
    public const int MaxLineBytes = 64 << 20;

    /// <summary>
    /// Yields each line. The memory handed out is only valid until the next item is requested.
    /// </summary>
    public static async IAsyncEnumerable<ReadOnlyMemory<byte>> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken ct)
    {
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 64 << 10, leaveOpen: true));
        byte[] scratch = [];
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(ct);
                var buffer = result.Buffer;
                while (TryTakeLine(ref buffer, out var line))
                {
                    yield return ToMemory(line, ref scratch);
                }
                if (result.IsCompleted)
                {
                    if (!buffer.IsEmpty)
                        yield return ToMemory(buffer, ref scratch);
                    reader.AdvanceTo(buffer.End);
                    break;
                }
                if (buffer.Length > MaxLineBytes)
                    throw new InvalidDataException($"a line is longer than {MaxLineBytes} bytes");
                reader.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }

    private static bool TryTakeLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        var newline = buffer.PositionOf((byte)'\n');
        if (newline is null)
        {
            line = default;
            return false;
        }
        line = buffer.Slice(0, newline.Value);
        buffer = buffer.Slice(buffer.GetPosition(1, newline.Value));
        return true;
    }

    private static ReadOnlyMemory<byte> ToMemory(ReadOnlySequence<byte> line, ref byte[] scratch)
    {
        var length = (int)line.Length;
        if (length > 0 && line.Slice(length - 1).FirstSpan[0] == (byte)'\r')
            length--;
        if (scratch.Length < length)
            scratch = new byte[Math.Max(length, scratch.Length * 2)];
        line.Slice(0, length).CopyTo(scratch);
        return scratch.AsMemory(0, length);
    }
}
