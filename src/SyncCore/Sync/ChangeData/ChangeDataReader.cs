using ReplicaSync.Sharing;
using ReplicaSync.Sync.Copy;

namespace ReplicaSync.Sync.ChangeData;

/// <summary>
/// Adds the change data files (<c>cdc</c>) of a feed window to its versions: one change data feed call per span of
/// versions that record change data. The feed query still gives the adds and removes, since the change data feed
/// leaves them out for versions with change data files. A span the provider refuses (400) gets no change data and
/// its versions are marked, so the replica's commits stay aligned and the run says which versions lack it.
/// </summary>
public sealed class ChangeDataReader(SharingClient client, TableAddress table, SyncOptions options)
{
    /// <summary>Fills <see cref="ProviderVersion.ChangeFiles"/> of <paramref name="versions"/> (consecutive, in order).</summary>
    public async Task ReadAsync(IReadOnlyList<ProviderVersion> versions, CancellationToken ct)
    {
        if (versions.Count == 0)
            return;
        var first = versions[0].Version;
        foreach (var (from, to) in ChangeDataSpans.Recorded(versions))
        {
            var span = versions.Skip((int)(from - first)).Take((int)(to - from + 1)).ToList();
            var request = new ChangesRequest(from, to) { MaxFiles = options.PageSize };
            try
            {
                await ReadSpanAsync(span, request, UrlQuery.ForChanges(client, table, request, options), ct);
            }
            catch (SharingHttpException e) when (e.StatusCode == 400)
            {
                foreach (var version in span)
                {
                    version.ChangeFiles.Clear();
                    version.ChangeUrls = null;
                    version.ChangeDataRefused = true;
                }
            }
        }
    }

    private async Task ReadSpanAsync(List<ProviderVersion> span, ChangesRequest request, UrlQuery urls, CancellationToken ct)
    {
        await using var result = await client.QueryChangesAsync(table, request, ct);
        await foreach (var line in result.Lines.WithCancellation(ct))
        {
            // Versions without change data files come back as adds and removes, which the feed query gave already.
            if (line is not FileLine { Kind: FileActionKind.Cdf } file)
                continue;
            if (file.Version is not { } v || v < request.StartingVersion || v > request.EndingVersion)
                throw new SharingProtocolException(
                    $"the change data feed sent file {file.Id} for version {file.Version?.ToString() ?? "(none)"} outside the requested range {request.StartingVersion}..{request.EndingVersion}");
            var version = span[(int)(v - request.StartingVersion)];
            version.ChangeFiles.Add(file);
            version.ChangeUrls = urls;
        }
    }
}
