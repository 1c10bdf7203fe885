namespace ReplicaSync.Delta;

/// <summary>Maps a relative (<c>u</c>) deletion vector descriptor to its file and back.</summary>
public static class DeletionVectorPath
{
    /// <summary>The table-relative file of a <c>u</c> descriptor: optional prefix directory + <c>deletion_vector_&lt;uuid&gt;.bin</c>.</summary>
    public static string RelativeFile(string pathOrInlineDv)
    {
        if (pathOrInlineDv.Length < 20)
            throw new DeltaFormatException($"relative deletion vector id '{pathOrInlineDv}' is shorter than 20 characters");
        var prefix = pathOrInlineDv[..^20];
        var uuid = ToGuid(Z85.Decode(pathOrInlineDv.AsSpan(pathOrInlineDv.Length - 20)));
        var name = $"deletion_vector_{uuid:D}.bin";
        return prefix.Length == 0 ? name : prefix + "/" + name;
    }

    /// <summary>A <c>u</c> descriptor value (no prefix) for a UUID.</summary>
    public static string EncodeUuid(Guid uuid) => Z85.Encode(FromGuid(uuid));

    // Delta stores the UUID's 16 bytes in canonical (big-endian, as printed) order.
    private static Guid ToGuid(byte[] bytes) => new(bytes, bigEndian: true);

    private static byte[] FromGuid(Guid uuid)
    {
        var bytes = new byte[16];
        uuid.TryWriteBytes(bytes, bigEndian: true, out _);
        return bytes;
    }
}
