using System.Text;
using ReplicaSync.Delta;
using ReplicaSync.Storage;

namespace ReplicaSync.Sync;

/// <summary>
/// Which versions a replica holds, said in words ("full history from 0", "from 12 (snapshot), then every version",
/// "snapshot steps at 12, 19, 40"), derived from one listing of its own log: a replica holds its first version
/// (commit 0, or the checkpoint it was bootstrapped at) and every commit after it; gaps are versions the provider
/// never shared.
/// </summary>
public static class HeldVersions
{
    /// <summary>Lists the replica's <c>_delta_log</c> once and describes what it holds; null when there is no log.</summary>
    public static async Task<string?> ReadAsync(IObjectStore store, CancellationToken ct)
    {
        var listing = await LogListing.ReadAsync(store, ct);
        return Describe(listing.Commits.Keys, listing.Checkpoints.Keys);
    }

    /// <summary>Describes the versions held by a log with these commit and checkpoint versions; null when both are empty.</summary>
    public static string? Describe(IReadOnlyCollection<long> commits, IReadOnlyCollection<long> checkpoints)
    {
        if (commits.Count == 0 && checkpoints.Count == 0)
            return null;
        var commitSet = commits.ToHashSet();
        var first = commitSet.Contains(0) || checkpoints.Count == 0 ? commitSet.Min() : checkpoints.Min();
        var held = commitSet.Where(v => v > first).Prepend(first).Order().ToList();
        var runs = new List<(long From, long To)>();
        foreach (var v in held)
        {
            if (runs.Count > 0 && runs[^1].To == v - 1)
                runs[^1] = (runs[^1].From, v);
            else
                runs.Add((v, v));
        }
        if (runs is [var only] && only.From == only.To)
            return $"snapshot at {only.From}";
        var pieces = new List<string>();
        var steps = new List<long>();
        for (var i = 0; i < runs.Count; i++)
        {
            var (from, to) = runs[i];
            if (from == to)
            {
                steps.Add(from);
                continue;
            }
            Flush(pieces, steps);
            var start = i > 0 ? $"every version from {from}"
                : !commitSet.Contains(from) ? $"from {from} (snapshot), then every version"
                : from == 0 ? "full history from 0"
                : $"every version from {from}";
            pieces.Add(i == runs.Count - 1 ? start : $"{start} to {to}");
        }
        Flush(pieces, steps);
        return string.Join(", then ", pieces);
    }

    private static void Flush(List<string> pieces, List<long> steps)
    {
        if (steps.Count == 0)
            return;
        pieces.Add(new StringBuilder("snapshot steps at ").AppendJoin(", ", steps).ToString());
        steps.Clear();
    }
}
