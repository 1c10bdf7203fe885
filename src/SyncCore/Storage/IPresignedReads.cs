namespace ReplicaSync.Storage;

/// <summary>
/// Optional capability: the store issues time-limited GET URLs (S3 presigned GET, Azure SAS, GCS V4 signed URL), so a
/// reader holding one fetches the object straight from the store without credentials of its own. Discovered at run
/// time with <c>store is IPresignedReads</c>.
/// </summary>
public interface IPresignedReads
{
    /// <summary>
    /// Readies signing of GET URLs that stop working at <paramref name="expiresAt"/> (at most 7 days ahead) and returns
    /// the signer: object key in, absolute URL out. Readying may call the service once (Azure's user delegation key);
    /// each URL is then signed locally. Throws <see cref="NotSupportedException"/>, saying why, when the store's
    /// credential cannot sign (an Azure SAS token, GCS without a service account).
    /// </summary>
    Task<Func<string, Uri>> ReadUrlSignerAsync(DateTimeOffset expiresAt, CancellationToken ct);
}
