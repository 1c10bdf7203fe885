using System.Collections.Concurrent;
using ReplicaSync.Delta;
using ReplicaSync.Sharing;

namespace ReplicaSync.Sync.Copy;

/// <summary>
/// The provider query whose response gave a set of files their pre-signed URLs. Re-issuing it (with the refresh
/// token for a latest-snapshot query, the same request or change data feed call otherwise) gives new URLs for the
/// same file ids; the files still to copy are matched by id and continue with those. One refresh runs at a time per query,
/// and it reads the re-issued query's pages only until every file waiting for it has its new URL, so refreshing a
/// million-file snapshot midway costs the pages up to the files being copied, not the whole listing.
/// </summary>
public sealed class UrlQuery
{
    private readonly SharingClient _client;
    private readonly TableAddress _table;
    private readonly ISyncObserver _observer;
    private readonly ConcurrentDictionary<string, UrlHandle> _handles = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private QueryRequest? _request;
    private ChangesRequest? _changes;
    private Task? _refresh;
    // Registrations so far, and how many there were when the running refresh started: it covers exactly those.
    private long _registered;
    private long _refreshCovers;

    public UrlQuery(SharingClient client, TableAddress table, QueryRequest request, SyncOptions options)
        : this(client, table, options) => _request = request;

    private UrlQuery(SharingClient client, TableAddress table, SyncOptions options)
    {
        _client = client;
        _table = table;
        _observer = options.Observer;
        RefreshMargin = options.UrlRefreshMargin;
    }

    /// <summary>The change data feed call that signed a window's change data files; re-issuing it re-signs them.</summary>
    public static UrlQuery ForChanges(SharingClient client, TableAddress table, ChangesRequest request, SyncOptions options) =>
        new(client, table, options) { _changes = request };

    internal TimeSpan RefreshMargin { get; }
    internal TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Re-issues a latest-snapshot query with this token, so it returns the same files as the first time.</summary>
    public void UseRefreshToken(string token)
    {
        lock (_lock)
            _request = new QueryRequest { RefreshToken = token, MaxFiles = _request?.MaxFiles };
    }

    /// <summary>Tracks the URL of the file (or deletion vector) known as <paramref name="id"/> until its copy releases it.</summary>
    public UrlHandle Register(string id, string url, long? expiresAtMs)
    {
        // Under the lock, so a refresh starting now either knows the handle or does not claim to cover it.
        lock (_lock)
        {
            var handle = new UrlHandle(this, id, url, expiresAtMs, Time.GetUtcNow().ToUnixTimeMilliseconds(), ++_registered);
            _handles[id] = handle;
            return handle;
        }
    }

    /// <summary>The handle id of a file's deletion vector, which the provider signs along with the file.</summary>
    public static string DeletionVectorId(string fileId) => "dv:" + fileId;

    internal void Release(UrlHandle handle) => _handles.TryRemove(new KeyValuePair<string, UrlHandle>(handle.Id, handle));

    /// <summary>Re-issues the query, or joins the re-issue already running when that one covers <paramref name="handle"/>.</summary>
    internal async Task RefreshAsync(UrlHandle handle, CancellationToken ct)
    {
        while (true)
        {
            Task refresh;
            bool covers;
            lock (_lock)
            {
                if (_refresh is null || _refresh.IsCompleted)
                {
                    _refreshCovers = _registered;
                    _refresh = RunRefreshAsync(_request, _handles.Keys.ToHashSet(StringComparer.Ordinal), ct);
                }
                refresh = _refresh;
                covers = handle.Registration <= _refreshCovers;
            }
            await refresh.WaitAsync(ct);
            // A handle registered after the running refresh began may lie beyond where it stops: it needs its own.
            if (covers)
                return;
        }
    }

    private async Task RunRefreshAsync(QueryRequest? request, HashSet<string> waiting, CancellationToken ct)
    {
        var now = Time.GetUtcNow().ToUnixTimeMilliseconds();
        var refreshed = 0;
        var read = 0;
        await using (var result = _changes is { } changes
            ? await _client.QueryChangesAsync(_table, changes, ct)
            : await _client.QueryAsync(_table, request!, ResponseFormat.Delta, ct))
        {
            await foreach (var line in result.Lines.WithCancellation(ct))
            {
                if (line is EndStreamLine { RefreshToken: { } token })
                    UseRefreshToken(token);
                if (line is not FileLine { Kind: FileActionKind.Add or FileActionKind.Cdf } file)
                    continue;
                if (_handles.TryGetValue(file.Id, out var handle))
                {
                    handle.Update(file.Url, file.ExpirationTimestamp, now);
                    refreshed++;
                }
                waiting.Remove(file.Id);
                if (file.DeltaAction is AddFile { DeletionVector: { StorageType: "p" } dv }
                    && _handles.TryGetValue(DeletionVectorId(file.Id), out var dvHandle))
                {
                    dvHandle.Update(dv.PathOrInlineDv, file.ExpirationTimestamp, now);
                    refreshed++;
                }
                waiting.Remove(DeletionVectorId(file.Id));
                // Files whose copy finished meanwhile wait no more; once none waits, the rest of the listing is not needed.
                if (++read % 256 == 0 || waiting.Count == 0)
                {
                    waiting.RemoveWhere(id => !_handles.ContainsKey(id));
                    if (waiting.Count == 0)
                        break;
                }
            }
        }
        _observer.UrlsRefreshed(refreshed);
    }
}
