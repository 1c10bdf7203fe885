using ReplicaSync.Storage;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Integration.Tests;

/// <summary>Fails the write of one log file (a checkpoint, the hint), as a kill just before it would leave the log.</summary>
internal sealed class WriteFailingStore(IObjectStore inner, string failingKey) : ForwardingStore(inner)
{
    public override Task<long> WriteAsync(string path, Stream content, CancellationToken ct) =>
        path == failingKey ? throw new IOException($"killed before {path} was written") : base.WriteAsync(path, content, ct);
}
