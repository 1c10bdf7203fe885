using System.Globalization;
using System.Text;

namespace ReplicaSync.SharingServer;

/// <summary>
/// Builds pre-signed URLs for one table within one response. A table in an object store gets the store's own
/// pre-signed URLs, so the bytes go straight from the store to the client; a local table gets this server's
/// <c>{base}/files/{share}/{schema}/{table}/{key segments}?expires=&lt;ms&gt;&amp;sig=&lt;hex&gt;</c>.
/// All URLs of a response share one expiry, which is therefore also the response's minimum.
/// </summary>
internal sealed class FileUrlSigner
{
    public const string Purpose = "file";

    private readonly Signer _signer;
    private readonly SharedTable _table;
    private readonly string _tableBase;
    private readonly string _expires;
    private readonly Func<string, Uri>? _storeSigner;
    private readonly RequestAudit _audit;

    /// <param name="storeSigner">The store's URL signer for a table in an object store; null to sign with this server's key.</param>
    /// <param name="audit">Where the files announced in the response are counted.</param>
    public FileUrlSigner(Signer signer, SharedTable table, string serverBase, long expiresAtMs, Func<string, Uri>? storeSigner, RequestAudit audit)
    {
        _signer = signer;
        _table = table;
        _storeSigner = storeSigner;
        _audit = audit;
        ExpiresAt = expiresAtMs;
        _expires = expiresAtMs.ToString(CultureInfo.InvariantCulture);
        _tableBase = table.FileUrlBase is { } external
            ? external + "/"
            : $"{serverBase}/files/{Uri.EscapeDataString(table.Share)}/{Uri.EscapeDataString(table.Schema)}/{Uri.EscapeDataString(table.Name)}/";
    }

    /// <summary>Expiry (unix ms) of every URL this signer makes.</summary>
    public long ExpiresAt { get; }

    /// <summary>True once a URL was signed, i.e. when the response has a minimum URL expiry to report.</summary>
    public bool SignedAny { get; private set; }

    /// <summary>Signs a data file named by a Delta log path (URI-encoded, as in add/remove <c>path</c>) and counts it as announced.</summary>
    public string SignFile(string logPath, long size)
    {
        var url = SignKey(_table.StorageKeyOf(logPath));
        _audit.Announced(size);
        return url;
    }

    /// <summary>Signs a storage key relative to the table root.</summary>
    public string SignKey(string key)
    {
        SignedAny = true;
        if (_storeSigner is not null)
            return _storeSigner(key).OriginalString;
        var url = new StringBuilder(_tableBase);
        var segments = key.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            if (i > 0)
                url.Append('/');
            url.Append(Uri.EscapeDataString(segments[i]));
        }
        var sig = _signer.SignHex(Purpose, SignedData(_table.Share, _table.Schema, _table.Name, key, _expires));
        return url.Append("?expires=").Append(_expires).Append("&sig=").Append(sig).ToString();
    }

    /// <summary>What the signature covers; the file endpoint recomputes it from the URL it receives.</summary>
    public static string SignedData(string share, string schema, string table, string key, string expires) =>
        $"{share}\n{schema}\n{table}\n{key}\n{expires}";
}
