using System.Collections.Frozen;
using ReplicaSync.Delta;

namespace ReplicaSync.Vacuum;

/// <summary>
/// The table features vacuum knows to leave the set of referenced files unchanged, or whose extra files it
/// handles. Anything else may reference files in ways this code cannot see, so vacuum refuses to run.
/// </summary>
public static class VacuumFeatures
{
    /// <summary>Highest protocol versions understood: reader 3 and writer 7 only add named features.</summary>
    public const int MaxReaderVersion = 3, MaxWriterVersion = 7;

    // Why each feature is safe:
    // - metadata or schema only, no file references: appendOnly, invariants, checkConstraints, generatedColumns,
    //   identityColumns, allowColumnDefaults, columnMapping (files keep physical names, paths unchanged),
    //   timestampNtz, typeWidening(-preview), variantType(-preview), icebergCompatV1/V2 (Iceberg metadata lives in
    //   metadata/, which vacuum treats as hidden and never deletes);
    // - changeDataFeed: cdc files are protected while a commit present names them;
    // - deletionVectors: DV files are resolved from descriptors ('u' relative, 'p' absolute and never deleted);
    // - v2Checkpoint: checkpoints and _sidecars live under _delta_log/, which vacuum never touches;
    // - vacuumProtocolCheck: exists precisely so vacuum checks this list, which it does;
    // - inCommitTimestamp: changes commit times, not the deletionTimestamp of removes;
    // - domainMetadata, rowTracking, clustering: domains and per-file fields, no new files;
    // - checkpointProtection: restricts truncating the log history; vacuum deletes no log files.
    // Refused on purpose: catalogManaged and coordinatedCommits-preview, whose newest commits may sit in a catalog
    // and not yet in _delta_log, so files they add would look unreferenced here.
    private static readonly FrozenSet<string> Understood = new[]
    {
        "appendOnly", "invariants", "checkConstraints", "changeDataFeed", "generatedColumns", "identityColumns",
        "columnMapping", "deletionVectors", "timestampNtz", "v2Checkpoint", "vacuumProtocolCheck", "inCommitTimestamp",
        "domainMetadata", "rowTracking", "clustering", "typeWidening", "typeWidening-preview", "variantType",
        "variantType-preview", "allowColumnDefaults", "icebergCompatV1", "icebergCompatV2", "checkpointProtection",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Throws a <see cref="VacuumException"/> naming every feature or version of <paramref name="protocol"/> vacuum does not understand.</summary>
    public static void Check(Protocol protocol)
    {
        if (protocol.MinReaderVersion > MaxReaderVersion || protocol.MinWriterVersion > MaxWriterVersion)
            throw new VacuumException($"the table needs reader version {protocol.MinReaderVersion} and writer version {protocol.MinWriterVersion}; " +
                                      $"vacuum understands up to {MaxReaderVersion}/{MaxWriterVersion} and refuses to delete anything");
        var unknown = (protocol.ReaderFeatures ?? []).Concat(protocol.WriterFeatures ?? [])
            .Where(f => !Understood.Contains(f)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
            throw new VacuumException($"the table uses feature{(unknown.Count == 1 ? "" : "s")} {string.Join(", ", unknown)}, " +
                                      "which vacuum does not understand; it refuses to delete anything");
    }
}
