using System.Security.Cryptography;
using ReplicaSync.Delta;
using ReplicaSync.Storage;
using ReplicaSync.Sync;

namespace ReplicaSync.Integration.Tests.Reliability;

/// <summary>
/// The checks after every kill, read through our own reader over the replica's store: the log replays; its commits
/// are exactly 0..latest; every version it holds has the provider's schema, the replica txn of that version and the
/// provider's live files by content hash; <c>verify</c>'s checks (sizes and recorded CRC-32C) pass; and the latest
/// version never goes below what an earlier check saw. Versions already found equal are not re-read (commits are
/// written once, with put-if-absent) unless the check is a full one. Problems are returned, never thrown, so a long
/// trial counts them.
/// </summary>
internal sealed class ReplicaAudit(string providerRoot, string qualifiedTable)
{
    private readonly DeltaLog _provider = new(new LocalObjectStore(providerRoot));
    private readonly Dictionary<long, (string Schema, List<string> Files)> _providerVersions = [];
    private readonly Dictionary<string, string> _providerHashes = new(StringComparer.Ordinal);

    /// <summary>What one replica has shown so far: its highest version and the versions found equal.</summary>
    public sealed class History
    {
        public long? Latest { get; set; }
        public HashSet<long> Checked { get; } = [];
        public Dictionary<string, string> Hashes { get; } = new(StringComparer.Ordinal);
    }

    public sealed record Result(long? Latest, IReadOnlyList<string> Problems, long LostVersions);

    public async Task<Result> CheckAsync(IObjectStore replica, History history, bool full, CancellationToken ct)
    {
        var problems = new List<string>();
        long? latest = null;
        try
        {
            latest = await CheckLogAsync(replica, history, full, problems, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            problems.Add($"the replica's log does not replay: {e.GetType().Name}: {e.Message}");
        }
        var lost = history.Latest is { } before && (latest ?? -1) < before ? before - (latest ?? -1) : 0;
        if (lost > 0)
            problems.Add($"the replica went back from version {history.Latest} to {latest?.ToString() ?? "nothing"}");
        else
            history.Latest = latest;
        return new Result(latest, problems, lost);
    }

    private async Task<long?> CheckLogAsync(IObjectStore replica, History history, bool full, List<string> problems, CancellationToken ct)
    {
        var log = new DeltaLog(replica);
        if (await log.LatestVersionAsync(ct) is null)
            return null;
        var latest = (await log.LoadSnapshotAsync(null, ct))!.Version;
        // Listed after the replay: a request in flight when the process was killed may still land in the store (a
        // later commit), but the commits up to the replayed version must all be there.
        var commits = (await log.ListCommitsAsync(ct)).Select(c => c.Version).Where(v => v <= latest).ToList();
        if (!commits.SequenceEqual(Enumerable.Range(0, (int)latest + 1).Select(v => (long)v)))
            problems.Add($"the log's commits are not exactly 0..{latest}: {string.Join(",", commits)}");
        for (var version = 0L; version <= latest; version++)
        {
            if (!full && history.Checked.Contains(version))
                continue;
            var before = problems.Count;
            await CheckVersionAsync(replica, log, version, history, problems, ct);
            if (problems.Count == before)
                history.Checked.Add(version);
        }
        var verified = await new ReplicaVerifier(replica).VerifyAsync(ct);
        problems.AddRange(verified.Problems.Select(p => "verify: " + p));
        return latest;
    }

    private async Task CheckVersionAsync(IObjectStore replica, DeltaLog log, long version, History history, List<string> problems, CancellationToken ct)
    {
        var snapshot = (await log.LoadSnapshotAsync(version, ct))!;
        var (schema, expected) = await ProviderVersionAsync(version, ct);
        if (!snapshot.Transactions.TryGetValue(ReplicaCommit.AppId(qualifiedTable), out var txn) || txn.Version != version)
            problems.Add($"version {version} does not carry the replica txn of version {version}");
        if (snapshot.Metadata?.SchemaString != schema)
            problems.Add($"version {version} has another schema than the provider's");
        var actual = new List<string>();
        foreach (var file in snapshot.Files.Values)
        {
            var key = ReplicaPaths.FromLogPath(file.Path);
            if (!history.Hashes.TryGetValue(key, out var hash))
            {
                var info = await replica.StatAsync(key, ct);
                if (info is null || info.Size != file.Size)
                {
                    problems.Add($"version {version} adds {key} of {file.Size} bytes but the store has {info?.Size.ToString() ?? "no such object"}");
                    continue;
                }
                await using (var stream = await replica.OpenReadAsync(key, null, ct))
                    hash = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));
                history.Hashes[key] = hash;
            }
            actual.Add(Line(hash, file));
        }
        actual.Sort(StringComparer.Ordinal);
        if (!actual.SequenceEqual(expected))
            problems.Add($"version {version} holds other files than the provider's ({actual.Count} against {expected.Count})");
    }

    private async Task<(string Schema, List<string> Files)> ProviderVersionAsync(long version, CancellationToken ct)
    {
        if (_providerVersions.TryGetValue(version, out var known))
            return known;
        var snapshot = (await _provider.LoadSnapshotAsync(version, ct))!;
        var files = snapshot.Files.Values.Select(f =>
        {
            if (!_providerHashes.TryGetValue(f.Path, out var hash))
                _providerHashes[f.Path] = hash = ProviderTableBuilder.Hash(Path.Combine(providerRoot, ReplicaPaths.FromLogPath(f.Path)));
            return Line(hash, f);
        }).Order(StringComparer.Ordinal).ToList();
        return _providerVersions[version] = (snapshot.Metadata!.SchemaString, files);
    }

    private static string Line(string hash, LiveFile file) => $"{hash} {ProviderTableBuilder.Describe(file.PartitionValues)}";
}
