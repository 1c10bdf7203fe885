namespace ReplicaSync.Delta;

/// <summary>
/// A reversible packing of UTF-8 paths that halves long runs of lowercase hex digits: replica file names carry the
/// provider's file id, a 32- or 64-digit hex hash, which is most of a path's bytes. A run of 32 or more digits becomes
/// a marker byte (0xFF, which UTF-8 never contains, so packing is unambiguous and equal paths pack to equal bytes), a
/// count, and two digits per byte. Packed bytes are for storage and comparison only; search them for '/' unpacked.
/// </summary>
internal static class PackedPath
{
    private const byte Marker = 0xFF;
    private const int MinRun = 32;
    private const int MaxPackedBytes = 127;

    /// <summary>Packs <paramref name="utf8"/> into <paramref name="packed"/>, which needs at least as many bytes; returns the length.</summary>
    public static int Pack(ReadOnlySpan<byte> utf8, Span<byte> packed)
    {
        var length = 0;
        var i = 0;
        while (i < utf8.Length)
        {
            var run = HexRun(utf8[i..]);
            if (run < MinRun)
            {
                // Copy the digits that are too few to pack, then the next byte.
                var plain = Math.Max(run, 1);
                utf8.Slice(i, plain).CopyTo(packed[length..]);
                length += plain;
                i += plain;
                continue;
            }
            var bytes = Math.Min(run / 2, MaxPackedBytes);
            packed[length++] = Marker;
            packed[length++] = (byte)bytes;
            for (var b = 0; b < bytes; b++, i += 2)
                packed[length++] = (byte)(Digit(utf8[i]) << 4 | Digit(utf8[i + 1]));
        }
        return length;
    }

    /// <summary>The length of <paramref name="packed"/> unpacked.</summary>
    public static int UnpackedLength(ReadOnlySpan<byte> packed)
    {
        var length = 0;
        for (var i = 0; i < packed.Length;)
        {
            if (packed[i] == Marker)
            {
                length += 2 * packed[i + 1];
                i += 2 + packed[i + 1];
            }
            else
            {
                length++;
                i++;
            }
        }
        return length;
    }

    /// <summary>Unpacks into <paramref name="utf8"/>, which holds <see cref="UnpackedLength"/> bytes; returns the length.</summary>
    public static int Unpack(ReadOnlySpan<byte> packed, Span<byte> utf8)
    {
        var length = 0;
        for (var i = 0; i < packed.Length;)
        {
            if (packed[i] != Marker)
            {
                utf8[length++] = packed[i++];
                continue;
            }
            var end = i + 2 + packed[i + 1];
            for (i += 2; i < end; i++)
            {
                utf8[length++] = "0123456789abcdef"u8[packed[i] >> 4];
                utf8[length++] = "0123456789abcdef"u8[packed[i] & 0xF];
            }
        }
        return length;
    }

    private static int HexRun(ReadOnlySpan<byte> utf8)
    {
        var run = 0;
        while (run < utf8.Length && utf8[run] is >= (byte)'0' and <= (byte)'9' or >= (byte)'a' and <= (byte)'f')
            run++;
        return run;
    }

    private static int Digit(byte c) => c <= '9' ? c - '0' : c - 'a' + 10;
}
