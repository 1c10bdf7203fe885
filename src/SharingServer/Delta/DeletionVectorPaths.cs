namespace ReplicaSync.SharingServer;

/// <summary>Resolves the file of a <c>u</c> (relative UUID) deletion vector: an optional prefix directory plus a Z85-encoded UUID.</summary>
internal static class DeletionVectorPaths
{
    private const string Z85Alphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";
    private const int EncodedUuidLength = 20;

    private static readonly sbyte[] Z85Values = BuildDecodeTable();

    /// <summary>
    /// The table-relative key of the DV file, e.g. <c>vBn[lx{q8@P&lt;9BNH/isA</c> →
    /// <c>deletion_vector_61d16c75-6994-46b7-a15b-8b538852e50e.bin</c>; <c>ab^-aqEH.-t@S}K{vb[*k^</c> → <c>ab/deletion_vector_….bin</c>.
    /// </summary>
    public static string RelativeKey(string pathOrInlineDv)
    {
        if (pathOrInlineDv.Length < EncodedUuidLength)
            throw new FormatException($"deletion vector id '{pathOrInlineDv}' is too short");
        var prefix = pathOrInlineDv[..^EncodedUuidLength];
        var uuid = new Guid(DecodeZ85(pathOrInlineDv[^EncodedUuidLength..]), bigEndian: true);
        var file = $"deletion_vector_{uuid:D}.bin";
        return prefix.Length == 0 ? file : prefix + "/" + file;
    }

    // Z85: every 5 characters encode 4 bytes, big-endian, in base 85.
    private static byte[] DecodeZ85(string text)
    {
        var bytes = new byte[text.Length / 5 * 4];
        for (var block = 0; block < text.Length / 5; block++)
        {
            uint value = 0;
            for (var i = 0; i < 5; i++)
            {
                var c = text[block * 5 + i];
                var digit = c < 128 ? Z85Values[c] : (sbyte)-1;
                if (digit < 0)
                    throw new FormatException($"'{c}' is not a Z85 character");
                value = checked(value * 85 + (uint)digit);
            }
            bytes[block * 4] = (byte)(value >> 24);
            bytes[block * 4 + 1] = (byte)(value >> 16);
            bytes[block * 4 + 2] = (byte)(value >> 8);
            bytes[block * 4 + 3] = (byte)value;
        }
        return bytes;
    }

    private static sbyte[] BuildDecodeTable()
    {
        var table = new sbyte[128];
        Array.Fill(table, (sbyte)-1);
        for (var i = 0; i < Z85Alphabet.Length; i++)
            table[Z85Alphabet[i]] = (sbyte)i;
        return table;
    }
}
