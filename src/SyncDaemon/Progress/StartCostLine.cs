using ReplicaSync.Daemon.Cli;
using ReplicaSync.Sync;

namespace ReplicaSync.Daemon.Progress;

/// <summary>Prints what a new replica's start will copy, before it copies, so the user sees what the start costs.</summary>
internal sealed class StartCostLine(TextWriter output, string table) : ISyncObserver
{
    public void StartPlanned(StartCost cost) => output.WriteLine(Describe(table, cost));

    /// <summary>The line every display prints: table, start, versions, files and bytes.</summary>
    public static string Describe(string table, StartCost cost) =>
        $"{table}: new replica, {cost.Start}: will copy {cost.Files} files ({Bytes.Format(cost.Bytes)}) over {cost.Versions} " +
        (cost.Versions == 1 ? "version" : "versions");
}
