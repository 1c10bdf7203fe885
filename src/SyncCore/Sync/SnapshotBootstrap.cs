using ReplicaSync.Delta;
using ReplicaSync.Memory;
using ReplicaSync.Sharing;
using ReplicaSync.Storage;
using ReplicaSync.Sync.Copy;

namespace ReplicaSync.Sync;

/// <summary>
/// Starts a replica at provider version V from a snapshot instead of history: copies the snapshot's files, then
/// publishes a checkpoint at V (put-if-absent, with the replica txn) and <c>_last_checkpoint</c>, with no commits
/// before it. Readers accept a log that starts at a checkpoint; the replica then continues with V+1, V+2…
/// The snapshot streams page by page into the copy: memory holds the replica's slim snapshot and a few pages, and the
/// full adds wait for the checkpoint in a local spill file.
/// </summary>
internal sealed class SnapshotBootstrap(SharingClient client, IObjectStore target, CopyEngine copy, SyncOptions options, ByteBudget budget)
{
    /// <summary>Files between two looks at the heap's slack (<see cref="HeapSlack"/>).</summary>
    private const int TrimEvery = 8192;

    /// <summary>Why the bootstrap did not start (the byte budget), when it returned null.</summary>
    public string? StoppedBecause { get; private set; }

    /// <summary>Bootstraps at <paramref name="version"/> (the provider's latest when null); null when the byte budget refuses it.</summary>
    public async Task<(ReplicaState State, VersionReport Report)?> RunAsync(TableAddress table, long? version, CancellationToken ct)
    {
        // A latest-snapshot query asks for a refresh token, so re-issued URLs are for the same files.
        var request = version is null
            ? new QueryRequest { IncludeRefreshToken = true, MaxFiles = options.PageSize }
            : new QueryRequest { Version = version, MaxFiles = options.PageSize };
        UrlQuery? urls = null;
        string? refreshToken = null;
        void Seen(string token)
        {
            refreshToken = token;
            urls?.UseRefreshToken(token);
        }
        var listing = await SnapshotListing.OpenAsync(client, table, request, Seen, ct);
        try
        {
            var at = listing.Version;
            var (protocol, metadata) = listing.RequireHead(table);
            if (listing.Metadata is not { NumFiles: { } files, Size: { } bytes })
            {
                (files, bytes, listing) = await CountAsync(table, listing, () => refreshToken, ct);
                request = listing.Request;
            }
            options.Observer.StartPlanned(new StartCost($"snapshot at version {at}", 1, files, bytes));
            if (budget.Refuses(at, bytes) is { } stop)
            {
                StoppedBecause = stop;
                return null;
            }
            options.Observer.VersionPlanned(at, (int)Math.Min(files, int.MaxValue), bytes);
            urls = new UrlQuery(client, table, new QueryRequest { Version = at, MaxFiles = options.PageSize }, options);
            if (refreshToken is not null)
                urls.UseRefreshToken(refreshToken);

            await using var spill = new AddSpill();
            var (snapshot, added, copied) = await CopyAsync(table, listing, protocol, metadata, urls, spill, ct);
            if (!await CheckpointWriter.WriteFirstAsync(target, snapshot, spill.ReadBackAsync(ct), ct))
                throw new CommitConflictException(at);
            return (new ReplicaState(snapshot), new VersionReport(at, added, 0, copied.FilesCopied, copied.FilesReused, copied.BytesCopied, false, true));
        }
        finally
        {
            await listing.DisposeAsync();
        }
    }

    /// <summary>
    /// The files and bytes of a snapshot whose provider's metaData line does not report them (the start's announcement
    /// and the byte budget need them before anything is copied): the listing is read once just to count, then opened
    /// again for the copy, pinned by its refresh token, or else its version, so that the copy reads the same files.
    /// </summary>
    private async Task<(long Files, long Bytes, SnapshotListing Listing)> CountAsync(TableAddress table, SnapshotListing counted,
        Func<string?> refreshToken, CancellationToken ct)
    {
        long files = 0, bytes = 0;
        await using (counted)
        {
            await foreach (var file in counted.FilesAsync(ct))
            {
                files++;
                bytes += file.Size ?? 0;
            }
        }
        var request = refreshToken() is { } token
            ? new QueryRequest { RefreshToken = token, MaxFiles = options.PageSize }
            : counted.Request;
        var listing = await SnapshotListing.OpenAsync(client, table, request, counted.RefreshTokenSeen, ct);
        if (listing.Version != counted.Version)
        {
            await listing.DisposeAsync();
            throw new SyncException($"the provider's snapshot of {table.QualifiedName} moved from version {counted.Version} to {listing.Version} while it was counted; run again");
        }
        return (files, bytes, listing);
    }

    /// <summary>
    /// Maps each file of the listing to its replica add, records it in the replica's snapshot, and enqueues its copy;
    /// each add is spilled once its file is durable (with its checksum tag). Returns when every file is durable.
    /// </summary>
    private async Task<(Snapshot Snapshot, int Added, CopyStats Copied)> CopyAsync(TableAddress table, SnapshotListing listing, Protocol protocol,
        Metadata metadata, UrlQuery urls, AddSpill spill, CancellationToken ct)
    {
        var builder = new Snapshot.ReverseBuilder(listing.Version);
        long? time = null;
        var added = 0;
        var version = copy.NewVersion();
        await foreach (var line in listing.FilesAsync(ct))
        {
            // A snapshot query need not send commit times: the first file that has one decides, else now.
            time ??= line.Timestamp ?? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var planned = FileMapper.MapAdd(line, metadata, time.Value, dataChange: false);
            var add = planned.Action;
            builder.Add(add);
            var durable = await copy.EnqueueAsync(version, planned, urls, ct);
            _ = durable.ContinueWith(_ => spill.Add(add), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion | TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
            if (++added % TrimEvery == 0)
                HeapSlack.Trim();
        }
        var copied = await version.WhenDurableAsync(ct);
        var at = time ?? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        // A checkpoint holds no commitInfo; the txn marks the table as this provider table's replica at V.
        builder.Add(new SetTransaction { AppId = ReplicaCommit.AppId(table.QualifiedName), Version = listing.Version, LastUpdated = at });
        builder.Add(protocol);
        builder.Add(metadata);
        builder.Timestamp = at;
        return (builder.Build(table.QualifiedName), added, copied);
    }
}
