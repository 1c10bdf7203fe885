using ReplicaSync.Delta;

namespace ReplicaSync.Sync.Copy;

/// <summary>
/// One file to copy from <see cref="Source"/> to <see cref="Key"/>; <see cref="Action"/> is the add or cdc action that
/// will reference it (its tags get the checksum), null for a deletion vector file.
/// </summary>
internal sealed record CopyJob(UrlHandle Source, string Key, long? Size, string What, DeltaAction? Action)
{
    public TaskCompletionSource<CopiedFile> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>A file made durable in the target: its bytes, whether an earlier run had left it, and its CRC-32C when known.</summary>
public readonly record struct CopiedFile(long Bytes, bool Reused, uint? Crc)
{
    /// <summary>For a file read as one stream: the time from its request to its first byte.</summary>
    public TimeSpan? FirstByte { get; init; }
}
