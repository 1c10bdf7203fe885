namespace ReplicaSync.Delta;

/// <summary>The <c>protocol</c> action: reader/writer versions and named table features.</summary>
public sealed class Protocol : DeltaAction
{
    public int MinReaderVersion { get; set; }
    public int MinWriterVersion { get; set; }
    public List<string>? ReaderFeatures { get; set; }
    public List<string>? WriterFeatures { get; set; }
}
