namespace ReplicaSync.Sync.Copy;

/// <summary>Files and bytes a copy step moved, and files it found already present.</summary>
public sealed class CopyStats
{
    public long FilesCopied { get; private set; }
    public long BytesCopied { get; private set; }
    public long FilesReused { get; private set; }

    internal void AddCopied(long bytes)
    {
        FilesCopied++;
        BytesCopied += bytes;
    }

    internal void AddReused() => FilesReused++;
}
