using System.Buffers;

namespace ReplicaSync.Integrity;

/// <summary>Computes the CRC-32C of a whole stream with one pooled buffer.</summary>
public static class CrcReader
{
    public static async Task<uint> ComputeAsync(Stream stream, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            uint crc = 0;
            int read;
            while ((read = await stream.ReadAsync(buffer, ct)) > 0)
                crc = Crc32C.Append(crc, buffer.AsSpan(0, read));
            return crc;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
