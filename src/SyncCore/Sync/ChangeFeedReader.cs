using ReplicaSync.Sharing;
using ReplicaSync.Sync.ChangeData;

namespace ReplicaSync.Sync;

/// <summary>
/// Reads a window of the provider's change feed (<c>startingVersion</c> + <c>endingVersion</c>) and groups the
/// lines by version (following the query's pages), then adds the change data files of the versions that record change data. A window is bounded
/// (versions per request), so memory stays bounded by what it changes. Without options it reads
/// adds and removes only and makes no change data calls (measuring a start's cost needs no change data).
/// </summary>
public sealed class ChangeFeedReader(SharingClient client, TableAddress table, SyncOptions? options)
{
    /// <summary>The query for versions [from, to], in pages of <paramref name="pageSize"/> files; re-issuing it re-signs the URLs of the files it returned.</summary>
    public static QueryRequest WindowRequest(long from, long to, int pageSize) =>
        new() { StartingVersion = from, EndingVersion = to, IncludeHistoricalProtocol = true, MaxFiles = pageSize };

    /// <summary>One entry per version in [from, to], in order; versions the feed did not mention are empty.</summary>
    public async Task<IReadOnlyList<ProviderVersion>> ReadAsync(long from, long to, CancellationToken ct)
    {
        var versions = new ProviderVersion[to - from + 1];
        for (var i = 0; i < versions.Length; i++)
            versions[i] = new ProviderVersion(from + i);
        ProviderVersion At(long? version, string what)
        {
            if (version is not { } v || v < from || v > to)
                throw new SharingProtocolException($"the change feed sent {what} for version {version?.ToString() ?? "(none)"} outside the requested range {from}..{to}");
            return versions[v - from];
        }

        await using (var result = await client.QueryAsync(table, WindowRequest(from, to, options?.PageSize ?? SyncOptions.DefaultPageSize), ResponseFormat.Delta, ct))
        {
            var headDone = 0;
            await foreach (var line in result.Lines.WithCancellation(ct))
            {
                switch (line)
                {
                    // The first protocol and metaData describe the state as of 'from'; later ones carry their version.
                    case ProtocolLine p:
                        At(headDone < 2 ? p.Version ?? from : p.Version, "a protocol").Protocol = p.Protocol;
                        headDone++;
                        break;
                    case MetadataLine m:
                        At(headDone < 2 ? m.Version ?? from : m.Version, "a metaData").Metadata = m;
                        headDone++;
                        break;
                    case FileLine f when f.Kind == FileActionKind.Cdf:
                        break;
                    case FileLine f:
                        var target = At(f.Version, $"file {f.Id}");
                        target.Timestamp ??= f.Timestamp;
                        if (!f.DataChange)
                            break;
                        (f.Kind == FileActionKind.Add ? target.Adds : target.Removes).Add(f);
                        break;
                }
            }
        }
        if (options is not null)
            await new ChangeDataReader(client, table, options).ReadAsync(versions, ct);
        return versions;
    }
}
