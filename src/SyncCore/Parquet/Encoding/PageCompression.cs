using System.IO.Compression;
using System.Runtime.InteropServices;

namespace ReplicaSync.Parquet;

/// <summary>Compresses and decompresses page bodies with the codecs Parquet names (UNCOMPRESSED, SNAPPY, GZIP).</summary>
internal static class PageCompression
{
    /// <summary>
    /// The most a page may expand, so a header cannot make the reader allocate more than the data could hold:
    /// a 3-byte Snappy copy yields 64 bytes, a Deflate block at most about 1032 bytes per input byte.
    /// </summary>
    public static long MaxUncompressedSize(CompressionCodec codec, int compressedSize) => codec switch
    {
        CompressionCodec.Uncompressed => compressedSize,
        CompressionCodec.Snappy => compressedSize * 22L + 64,
        _ => compressedSize * 1040L + 1024,
    };

    /// <summary>Decompresses a SNAPPY or GZIP page body; the reader uses uncompressed bodies in place, without a copy.</summary>
    public static void Decompress(CompressionCodec codec, ReadOnlyMemory<byte> source, Span<byte> destination)
    {
        switch (codec)
        {
            case CompressionCodec.Snappy:
                SnappyDecompressor.Decompress(source.Span, destination);
                break;
            case CompressionCodec.Gzip:
                Gunzip(source, destination);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(codec), codec, null);
        }
    }

    /// <summary>Compresses <paramref name="source"/> and appends the result to <paramref name="output"/>; returns its length.</summary>
    public static int Compress(CompressionCodec codec, ReadOnlySpan<byte> source, PooledBuffer output)
    {
        switch (codec)
        {
            case CompressionCodec.Uncompressed:
                output.Write(source);
                return source.Length;
            case CompressionCodec.Snappy:
                var written = SnappyCompressor.Compress(source, output.GetSpan(SnappyCompressor.MaxCompressedLength(source.Length)));
                output.Advance(written);
                return written;
            case CompressionCodec.Gzip:
                var before = output.Length;
                using (var gzip = new GZipStream(new PooledBufferStream(output), CompressionLevel.Fastest, leaveOpen: false))
                    gzip.Write(source);
                return output.Length - before;
            default:
                throw new ArgumentOutOfRangeException(nameof(codec), codec, null);
        }
    }

    private static void Gunzip(ReadOnlyMemory<byte> source, Span<byte> destination)
    {
        var stream = MemoryMarshal.TryGetArray(source, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(source.ToArray(), writable: false);
        using var gzip = new GZipStream(stream, CompressionMode.Decompress);
        gzip.ReadExactly(destination);
    }

    /// <summary>A write-only stream appending to a <see cref="PooledBuffer"/>, for GZipStream's output.</summary>
    private sealed class PooledBufferStream(PooledBuffer output) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => output.Write(buffer.AsSpan(offset, count));
        public override void Write(ReadOnlySpan<byte> bytes) => output.Write(bytes);
    }
}
