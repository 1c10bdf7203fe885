using ReplicaSync.Delta;
using ReplicaSync.Sharing;

namespace ReplicaSync.Sync;

/// <summary>The provider's table at one version, as a snapshot query returned it: its protocol, metadata and live files.</summary>
internal sealed record ProviderSnapshot(long Version, Protocol? Protocol, Metadata? Metadata, IReadOnlyList<FileLine> Files, string? RefreshToken)
{
    /// <summary>The snapshot's protocol and metaData, which a replica version needs; a clear error when one is missing.</summary>
    public (Protocol Protocol, Metadata Metadata) RequireHead(TableAddress table) =>
        Protocol is { } protocol && Metadata is { } metadata
            ? (protocol, metadata)
            : throw new SyncException($"the provider's snapshot of {table.QualifiedName} at version {Version} has no protocol or metaData");

    /// <summary>
    /// The commit time to record for the snapshot's version: the first file line that carries one, else now (a
    /// snapshot query need not send commit times).
    /// </summary>
    public long CommitTime => Files.Select(f => f.Timestamp).FirstOrDefault(t => t is not null) ?? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    /// <summary>Runs the snapshot query <paramref name="request"/> and keeps its protocol, metaData, add lines and refresh token.</summary>
    public static async Task<ProviderSnapshot> ReadAsync(SharingClient client, TableAddress table, QueryRequest request, CancellationToken ct)
    {
        Protocol? protocol = null;
        Metadata? metadata = null;
        string? refreshToken = null;
        var files = new List<FileLine>();
        await using var result = await client.QueryAsync(table, request, ResponseFormat.Delta, ct);
        await foreach (var line in result.Lines.WithCancellation(ct))
        {
            switch (line)
            {
                case ProtocolLine p: protocol = p.Protocol; break;
                case MetadataLine m: metadata = m.Metadata; break;
                case EndStreamLine e: refreshToken = e.RefreshToken ?? refreshToken; break;
                case FileLine { Kind: FileActionKind.Add } f: files.Add(f); break;
            }
        }
        return new ProviderSnapshot(result.Version, protocol, metadata, files, refreshToken);
    }
}
