using System.Text.Json;
using ReplicaSync.Delta;

namespace ReplicaSync.Sync;

/// <summary>Builds the actions of a replica commit: commitInfo first, then protocol/metaData changes, txn, removes, adds, cdc.</summary>
public static class ReplicaCommit
{
    public const string Operation = "REPLICATE";
    public const string EngineInfo = "ReplicaSync/0.1";

    /// <summary>The txn app id that marks a replica of <paramref name="qualifiedTable"/> (share.schema.table).</summary>
    public static string AppId(string qualifiedTable) => AppIdPrefix + qualifiedTable;

    /// <summary>What every replica txn app id starts with.</summary>
    public const string AppIdPrefix = "replicasync:";

    /// <summary>
    /// The commit's actions; <paramref name="inCommitTimestamp"/> is set when the table uses in-commit timestamps.
    /// Built once when the version is planned; <see cref="AddCopyMetrics"/> completes the commitInfo once its files are copied.
    /// </summary>
    public static IReadOnlyList<DeltaAction> Build(VersionPlan plan, string qualifiedTable, long? inCommitTimestamp, DateTimeOffset now)
    {
        var actions = new List<DeltaAction>(plan.Adds.Count + plan.Removes.Count + plan.ChangeFiles.Count + 4)
        {
            new CommitInfo
            {
                Timestamp = plan.Timestamp,
                InCommitTimestamp = inCommitTimestamp,
                Operation = Operation,
                Extra = CommitInfoExtra(plan, qualifiedTable),
            },
        };
        if (plan.Protocol is not null)
            actions.Add(plan.Protocol);
        if (plan.Metadata is not null)
            actions.Add(plan.Metadata);
        actions.Add(new SetTransaction { AppId = AppId(qualifiedTable), Version = plan.Version, LastUpdated = now.ToUnixTimeMilliseconds() });
        actions.AddRange(plan.Removes);
        actions.AddRange(plan.Adds.Select(a => a.Action));
        actions.AddRange(plan.ChangeFiles.Select(c => c.Action));
        return actions;
    }

    /// <summary>Whether the table's configuration turns on in-commit timestamps.</summary>
    public static bool UsesInCommitTimestamps(Metadata? metadata) =>
        metadata?.Configuration.TryGetValue("delta.enableInCommitTimestamps", out var v) == true &&
        string.Equals(v, "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Egress accounting: records in the commitInfo (the first of <paramref name="actions"/>) what the version cost to copy.</summary>
    public static void AddCopyMetrics(IReadOnlyList<DeltaAction> actions, Copy.CopyStats copied)
    {
        // Delta's operationMetrics are string-valued.
        actions[0].Extra!["operationMetrics"] = JsonSerializer.SerializeToElement(new Dictionary<string, string>
        {
            ["numCopiedFiles"] = copied.FilesCopied.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["numCopiedBytes"] = copied.BytesCopied.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["numReusedFiles"] = copied.FilesReused.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, SyncJsonContext.Default.DictionaryStringString);
    }

    /// <summary>
    /// The replica version a commit is a snapshot step from (read from its commitInfo), or null for an ordinary
    /// per-version commit. A replica whose latest commit is a step follows its provider by steps.
    /// </summary>
    public static long? StepFrom(Commit commit) =>
        commit.Actions.OfType<CommitInfo>().FirstOrDefault()?.Extra?.TryGetValue(SnapshotStepFrom, out var from) == true
        && from.ValueKind == JsonValueKind.Number && from.TryGetInt64(out var version)
            ? version
            : null;

    private const string SnapshotStepFrom = "snapshotStepFrom";

    private static Dictionary<string, JsonElement> CommitInfoExtra(VersionPlan plan, string qualifiedTable)
    {
        var json = SyncJsonContext.Default;
        var parameters = new Dictionary<string, string>
        {
            ["source"] = qualifiedTable,
            ["providerVersion"] = plan.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["reconciled"] = plan.Reconciled ? "true" : "false",
        };
        if (plan.StepFrom is { } from)
            parameters[SnapshotStepFrom] = from.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var extra = new Dictionary<string, JsonElement>
        {
            ["operationParameters"] = JsonSerializer.SerializeToElement(parameters, json.DictionaryStringString),
            ["providerVersion"] = JsonSerializer.SerializeToElement(plan.Version, json.Int64),
            ["providerTimestamp"] = JsonSerializer.SerializeToElement(plan.Timestamp, json.Int64),
            ["engineInfo"] = JsonSerializer.SerializeToElement(EngineInfo, json.String),
            ["isBlindAppend"] = JsonSerializer.SerializeToElement(false, json.Boolean),
        };
        if (plan.StepFrom is { } stepFrom)
            extra[SnapshotStepFrom] = JsonSerializer.SerializeToElement(stepFrom, json.Int64);
        return extra;
    }
}
