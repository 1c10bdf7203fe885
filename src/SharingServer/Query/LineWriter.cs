using System.Security.Cryptography;
using System.Text;
using ReplicaSync.Delta;

namespace ReplicaSync.SharingServer;

/// <summary>
/// Writes the protocol's NDJSON lines for one response in the negotiated format. Subclasses decide the shape of
/// each line; this class holds what both formats share: file ids, URL signing and the closing endStreamAction.
/// </summary>
internal abstract class LineWriter(NdjsonWriter output, FileUrlSigner signer, ResponseOptions options)
{
    protected NdjsonWriter Output { get; } = output;
    protected FileUrlSigner Signer { get; } = signer;

    public static LineWriter Create(NdjsonWriter output, FileUrlSigner signer, ResponseOptions options, SharedTable table) =>
        options.Format == ResponseFormat.Delta
            ? new DeltaLineWriter(output, signer, options, table)
            : new ParquetLineWriter(output, signer, options, table);

    /// <summary>The protocol line; <paramref name="version"/> only where the protocol asks for it.</summary>
    public abstract void Protocol(Protocol protocol, long? version);

    /// <summary>The metaData line, with the live file count and bytes of <paramref name="state"/> for drift checks.</summary>
    public abstract void Metadata(Metadata metadata, long? version, Snapshot state);

    /// <summary>A live file of a snapshot; version and timestamp are those of the snapshot, on time-travel queries only.</summary>
    public abstract void SnapshotFile(AddFile add, long? version, long? timestamp);

    /// <summary>An add with dataChange=true in commit <paramref name="version"/>.</summary>
    public abstract void AddedFile(AddFile add, long version, long timestamp);

    /// <summary>A remove with dataChange=true; <paramref name="previous"/> is the add it cancels, for fields old removes lack.</summary>
    public abstract void RemovedFile(RemoveFile remove, LiveFile? previous, long version, long timestamp);

    /// <summary>A change data file (<c>cdc</c> action) of commit <paramref name="version"/>; only /changes returns these.</summary>
    public abstract void ChangeDataFile(CdcFile change, long version, long timestamp);

    /// <summary>The closing line; the minimum URL expiry is included when any URL was signed.</summary>
    public void EndStream(string? nextPageToken, string? refreshToken, string? errorMessage = null, int? errorStatus = null) =>
        Output.Line(w =>
        {
            w.WriteStartObject();
            w.WriteStartObject("endStreamAction");
            if (refreshToken is not null)
                w.WriteString("refreshToken", refreshToken);
            if (nextPageToken is not null)
                w.WriteString("nextPageToken", nextPageToken);
            if (Signer.SignedAny)
                w.WriteNumber("minUrlExpirationTimestamp", Signer.ExpiresAt);
            if (errorMessage is not null)
                w.WriteString("errorMessage", errorMessage);
            if (errorStatus is not null)
                w.WriteNumber("httpStatusErrorCode", errorStatus.Value);
            w.WriteEndObject();
            w.WriteEndObject();
        });

    /// <summary>The tail every metaData line shares: its version (when given), live bytes and file count.</summary>
    protected static void WriteVersionAndCounts(System.Text.Json.Utf8JsonWriter w, long? version, Snapshot state)
    {
        if (version is not null)
            w.WriteNumber("version", version.Value);
        w.WriteNumber("size", state.SizeInBytes);
        w.WriteNumber("numFiles", state.Files.Count);
    }

    /// <summary>The tail every file line shares: commit version and time (when given) and the URL expiry.</summary>
    protected void WriteVersionAndExpiry(System.Text.Json.Utf8JsonWriter w, long? version, long? timestamp)
    {
        if (version is not null)
            w.WriteNumber("version", version.Value);
        if (timestamp is not null)
            w.WriteNumber("timestamp", timestamp.Value);
        w.WriteNumber("expirationTimestamp", Signer.ExpiresAt);
    }

    /// <summary>
    /// The file's stable id: hex md5 of its log path, or hex sha256 (the reference server's choice per format,
    /// overridable with the fileidhash header).
    /// </summary>
    protected string FileId(string logPath)
    {
        var bytes = Encoding.UTF8.GetBytes(logPath);
        return Convert.ToHexStringLower(options.Sha256Ids ? SHA256.HashData(bytes) : MD5.HashData(bytes));
    }
}
