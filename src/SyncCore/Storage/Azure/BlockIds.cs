using System.Text;

namespace ReplicaSync.Storage.Azure;

/// <summary>
/// Block ids: base64 of <c>{write id}-{index:D6}</c>. Deterministic per index within one write, so writing a part again
/// replaces its block; unique per write, so two writers of the same blob never commit each other's blocks; and all
/// of one length, as Azure requires of every block of a blob.
/// </summary>
internal static class BlockIds
{
    public static string NewWriteId() => Guid.NewGuid().ToString("N");

    public static string Id(string writeId, int index) => Convert.ToBase64String(Encoding.ASCII.GetBytes($"{writeId}-{index:D6}"));

    /// <summary>The ids of <paramref name="count"/> blocks of one new write, in order.</summary>
    public static string[] ForNewWrite(int count)
    {
        var writeId = NewWriteId();
        return [.. Enumerable.Range(0, count).Select(i => Id(writeId, i))];
    }
}
