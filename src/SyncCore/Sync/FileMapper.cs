using ReplicaSync.Delta;
using ReplicaSync.Sharing;

namespace ReplicaSync.Sync;

/// <summary>Turns provider file lines into replica add/remove actions with replica paths and copied DV files.</summary>
public static class FileMapper
{
    /// <summary>The replica add for a provider file, with the files that must be copied before it is committed.</summary>
    public static PlannedFile MapAdd(FileLine line, Metadata metadata, long timestamp, bool dataChange)
    {
        var (size, useDirectories) = Check(line, metadata, "file");
        var key = ReplicaPaths.DataFileKey(line.Id, metadata.PartitionColumns, line.PartitionValues, useDirectories);
        var add = line.DeltaAction is AddFile provided
            ? ActionCodec.Clone(provided)
            : new AddFile { PartitionValues = new(line.PartitionValues), Stats = line.Stats };
        if (add.Size != 0 && add.Size != size)
            throw new SyncException($"provider file {line.Id} announces size {size} but its action says {add.Size}");
        add.Path = ReplicaPaths.ToLogPath(key);
        add.Size = size;
        add.ModificationTime = timestamp;
        add.DataChange = dataChange;
        var dv = RewriteDeletionVector(add.DeletionVector, line);
        return new PlannedFile(line, key, add, dv);
    }

    /// <summary>The replica cdc action for a provider change data file, re-signed through <paramref name="urls"/>; cdc actions never change data.</summary>
    public static PlannedChangeFile MapChange(FileLine line, Metadata metadata, Copy.UrlQuery urls)
    {
        var (size, useDirectories) = Check(line, metadata, "change data file");
        var key = ReplicaPaths.ChangeDataFileKey(line.Id, metadata.PartitionColumns, line.PartitionValues, useDirectories);
        var change = line.DeltaAction is CdcFile provided ? ActionCodec.Clone(provided) : new CdcFile { PartitionValues = new(line.PartitionValues) };
        if (change.Size != 0 && change.Size != size)
            throw new SyncException($"provider change data file {line.Id} announces size {size} but its action says {change.Size}");
        change.Path = ReplicaPaths.ToLogPath(key);
        change.Size = size;
        change.DataChange = false;
        return new PlannedChangeFile(line, key, change, urls);
    }

    /// <summary>The replica remove for a live replica file that the provider removed.</summary>
    public static RemoveFile MapRemove(LiveFile live, FileLine? line, long timestamp, bool dataChange)
    {
        var remove = line?.DeltaAction is RemoveFile provided ? ActionCodec.Clone(provided) : new RemoveFile();
        remove.Path = live.Path;
        remove.DeletionVector = live.DeletionVector;
        remove.DeletionTimestamp = timestamp;
        remove.DataChange = dataChange;
        remove.ExtendedFileMetadata = true;
        remove.PartitionValues = new(live.PartitionValues);
        remove.Size = live.Size;
        remove.Stats = null;
        remove.Tags = null;
        return remove;
    }

    // A provider file needs a size and, unless column mapping is on (files then sit at the root), partition values
    // of partition columns only: they become directories.
    private static (long Size, bool UseDirectories) Check(FileLine line, Metadata metadata, string what)
    {
        if (line.Size is not { } size || size < 0)
            throw new SyncException($"provider {what} {line.Id} has no valid size");
        var columnMapping = UsesColumnMapping(metadata);
        if (!columnMapping)
            CheckPartitionValues(line, metadata);
        return (size, !columnMapping);
    }

    private static bool UsesColumnMapping(Metadata metadata) =>
        metadata.Configuration.TryGetValue("delta.columnMapping.mode", out var mode) && mode is not null and not "none";

    private static void CheckPartitionValues(FileLine line, Metadata metadata)
    {
        foreach (var key in line.PartitionValues.Keys)
        {
            if (!metadata.PartitionColumns.Contains(key))
                throw new SyncException($"provider file {line.Id} has a value for '{key}', which is not a partition column");
        }
    }

    // Provider DVs arrive as pre-signed URLs ('p'); the replica stores each DV file once under a name derived from
    // its stable id and refers to it relatively ('u'), so the key (path, DV id) is the same in every commit.
    private static PlannedDeletionVector? RewriteDeletionVector(DeletionVectorDescriptor? dv, FileLine line)
    {
        if (dv is null || dv.StorageType == "i")
            return null;
        if (dv.StorageType != "p")
            throw new SyncException($"provider file {line.Id} has a deletion vector of storage type '{dv.StorageType}' that is not a URL");
        var url = dv.PathOrInlineDv;
        var identity = line.DeletionVectorFileId ?? UrlRedactor.Redact(url);
        var (key, uuid) = ReplicaPaths.DeletionVectorFile(identity);
        dv.StorageType = "u";
        dv.PathOrInlineDv = DeletionVectorPath.EncodeUuid(uuid);
        return new PlannedDeletionVector(url, key);
    }
}
