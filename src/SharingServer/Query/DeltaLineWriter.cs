using System.Security.Cryptography;
using System.Text;
using ReplicaSync.Delta;

namespace ReplicaSync.SharingServer;

/// <summary>
/// <c>responseformat=delta</c> lines: the Delta actions verbatim (unknown fields included) inside the
/// <c>deltaProtocol</c>/<c>deltaMetadata</c>/<c>deltaSingleAction</c> wrappers, with each file path replaced by
/// its signed URL and on-disk deletion vectors rewritten to signed absolute (<c>p</c>) references.
/// </summary>
internal sealed class DeltaLineWriter(NdjsonWriter output, FileUrlSigner signer, ResponseOptions options, SharedTable table)
    : LineWriter(output, signer, options)
{
    public override void Protocol(Protocol protocol, long? version) => Output.Line(w =>
    {
        w.WriteStartObject();
        w.WriteStartObject("protocol");
        w.WritePropertyName("deltaProtocol");
        ActionCodec.WriteBody(w, protocol);
        if (version is not null)
            w.WriteNumber("version", version.Value);
        w.WriteEndObject();
        w.WriteEndObject();
    });

    public override void Metadata(Metadata metadata, long? version, Snapshot state) => Output.Line(w =>
    {
        w.WriteStartObject();
        w.WriteStartObject("metaData");
        w.WritePropertyName("deltaMetadata");
        ActionCodec.WriteBody(w, metadata);
        WriteVersionAndCounts(w, version, state);
        w.WriteEndObject();
        w.WriteEndObject();
    });

    public override void SnapshotFile(AddFile add, long? version, long? timestamp) => WriteFile(add, add.Path, version, timestamp);

    public override void AddedFile(AddFile add, long version, long timestamp) => WriteFile(add, add.Path, version, timestamp);

    public override void RemovedFile(RemoveFile remove, LiveFile? previous, long version, long timestamp) =>
        WriteFile(remove, remove.Path, version, timestamp);

    public override void ChangeDataFile(CdcFile change, long version, long timestamp) => WriteFile(change, change.Path, version, timestamp);

    private void WriteFile(DeltaAction action, string logPath, long? version, long? timestamp)
    {
        var copy = ActionCodec.Clone(action);
        string? dvFileId = null;
        switch (copy)
        {
            case AddFile add:
                add.Path = Signer.SignFile(logPath, add.Size);
                dvFileId = SignDeletionVector(add.DeletionVector);
                break;
            case RemoveFile remove:
                remove.Path = Signer.SignFile(logPath, remove.Size ?? 0);
                dvFileId = SignDeletionVector(remove.DeletionVector);
                break;
            case CdcFile change:
                change.Path = Signer.SignFile(logPath, change.Size);
                break;
        }
        var id = FileId(logPath);
        Output.Line(w =>
        {
            w.WriteStartObject();
            w.WriteStartObject("file");
            w.WriteString("id", id);
            if (dvFileId is not null)
                w.WriteString("deletionVectorFileId", dvFileId);
            WriteVersionAndExpiry(w, version, timestamp);
            w.WritePropertyName("deltaSingleAction");
            ActionCodec.Write(w, copy);
            w.WriteEndObject();
            w.WriteEndObject();
        });
    }

    /// <summary>
    /// Points an on-disk DV (<c>u</c> or <c>p</c>) at a signed URL and returns its stable file id (sha256 of the
    /// DV file's table-relative key); inline (<c>i</c>) DVs stay as they are.
    /// </summary>
    private string? SignDeletionVector(DeletionVectorDescriptor? dv)
    {
        if (dv is null || dv.StorageType is not ("u" or "p"))
            return null;
        var key = dv.StorageType == "u"
            ? DeletionVectorPath.RelativeFile(dv.PathOrInlineDv)
            : table.StorageKeyOf(dv.PathOrInlineDv);
        dv.StorageType = "p";
        dv.PathOrInlineDv = Signer.SignKey(key);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
    }
}
