namespace ReplicaSync.SharingServer;

/// <summary>
/// Where the next page of a query resumes. It pins the table version(s) of the first page so commits made while
/// paging stay invisible. Snapshot queries resume at index <see cref="ResumeIndex"/> of the path-sorted files;
/// change queries (startingVersion) at file action <see cref="ResumeIndex"/> of commit <see cref="ResumeVersion"/>.
/// </summary>
internal sealed record QueryPageToken(
    string TableId,
    string Checksum,
    long Version,
    long? LatestVersion,
    long? EndVersion,
    long ResumeVersion,
    int ResumeIndex,
    long ExpiresAt);

/// <summary>Pins a latest-snapshot query to the version it first saw, so a refresh returns the same files.</summary>
internal sealed record RefreshToken(string TableId, long Version, long ExpiresAt);

/// <summary>Encodes and checks the page and refresh tokens of queries; every problem is a 400.</summary>
internal sealed class QueryTokens(Signer signer, SharingServerConfig config)
{
    private const string PagePurpose = "query-page";
    private const string RefreshPurpose = "refresh";

    public string EncodePage(QueryPageToken token) => signer.EncodeToken(PagePurpose, token, TokenJsonContext.Default.QueryPageToken);

    public string NewRefreshToken(SharedTable table, long version) => signer.EncodeToken(RefreshPurpose,
        new RefreshToken(table.Id, version, Now + config.RefreshTokenLifetimeSeconds * 1000L), TokenJsonContext.Default.RefreshToken);

    public long PageExpiry => Now + config.PageTokenLifetimeSeconds * 1000L;

    public QueryPageToken DecodePage(string token, SharedTable table, string checksum)
    {
        var page = signer.DecodeToken(PagePurpose, token, TokenJsonContext.Default.QueryPageToken)
            ?? throw SharingException.InvalidParameter("pageToken is not valid");
        if (page.TableId != table.Id)
            throw SharingException.InvalidParameter("pageToken belongs to another table");
        if (page.Checksum != checksum)
            throw SharingException.InvalidParameter("pageToken does not match the query parameters: they must not change between pages");
        if (page.ExpiresAt < Now)
            throw SharingException.InvalidParameter("pageToken has expired");
        return page;
    }

    public RefreshToken DecodeRefresh(string token, SharedTable table)
    {
        var refresh = signer.DecodeToken(RefreshPurpose, token, TokenJsonContext.Default.RefreshToken)
            ?? throw SharingException.InvalidParameter("refreshToken is not valid");
        if (refresh.TableId != table.Id)
            throw SharingException.InvalidParameter("refreshToken belongs to another table");
        if (refresh.ExpiresAt < Now)
            throw SharingException.InvalidParameter("refreshToken has expired");
        return refresh;
    }

    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}
