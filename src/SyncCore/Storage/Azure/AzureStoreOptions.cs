namespace ReplicaSync.Storage.Azure;

/// <summary>Where an <see cref="AzureBlobStore"/> lives, how it authorizes and how it sizes its writes.</summary>
public sealed record AzureStoreOptions
{
    /// <summary>Azure allows at most this many committed blocks in one blob.</summary>
    public const int MaxBlocks = 50_000;

    /// <summary>Azure's largest block (Put Block, Put Block From URL) since version 2019-12-12.</summary>
    public const long MaxBlockSize = 4000L << 20;

    /// <summary>The storage account name (3-24 lowercase letters and digits).</summary>
    public required string Account { get; init; }

    public required string Container { get; init; }

    /// <summary>Key prefix every blob lives under, without leading or trailing '/'; empty for the container root.</summary>
    public string Prefix { get; init; } = "";

    /// <summary>
    /// The Blob service URL. Null means <c>https://{account}.blob.core.windows.net</c>. An endpoint on the account's
    /// own host (<c>{account}.blob.…</c>) is used as is; any other (an emulator, a proxy) path-style,
    /// <c>{endpoint}/{account}/{container}/{blob}</c>, unless its path already ends in the account (a connection
    /// string's BlobEndpoint, e.g. <c>http://127.0.0.1:10000/devstoreaccount1</c>). The SDK reads a URL path-style only
    /// on an IP host or an emulator port (10000-10009), so a path-style endpoint elsewhere is refused when the store opens.
    /// </summary>
    public Uri? Endpoint { get; init; }

    public required AzureCredential Credential { get; init; }

    /// <summary>Objects smaller than this are one Put Blob; larger ones are staged in blocks of this size.</summary>
    public int BlockSize { get; init; } = 8 << 20;

    /// <summary>Blocks in flight at once; a write holds at most this many plus two block-sized buffers.</summary>
    public int MaxParallelBlocks { get; init; } = 4;

    /// <summary>Block size of a server-side copy (Put Block From URL); no bytes pass through this process.</summary>
    public long CopyBlockSize { get; init; } = 100L << 20;

    /// <summary>Blobs per List Blobs page (Azure caps it at 5,000).</summary>
    public int ListPageSize { get; init; } = 5000;

    /// <summary>
    /// Attempts per request for throttling, 5xx and connection failures (a block is retried on its own); the SDK's
    /// retry options get <c>MaxAttempts - 1</c> retries.
    /// </summary>
    public int MaxAttempts { get; init; } = 4;

    /// <summary>First retry delay; it doubles per attempt, with jitter (the SDK's exponential mode).</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The blob service URL for this account, without a trailing '/'.</summary>
    internal string ServiceUrl
    {
        get
        {
            if (Endpoint is null)
                return $"https://{Account}.blob.core.windows.net";
            var url = Endpoint.GetLeftPart(UriPartial.Path).TrimEnd('/');
            var virtualHosted = Endpoint.Host.StartsWith(Account + ".", StringComparison.OrdinalIgnoreCase);
            return virtualHosted || url.EndsWith("/" + Account, StringComparison.Ordinal) ? url : url + "/" + Account;
        }
    }

    internal void Validate()
    {
        AzureAddress.ValidateAccount(Account);
        AzureAddress.ValidateContainer(Container);
        if (Prefix.Length > 0)
            ObjectPath.Validate(Prefix);
        if (Endpoint is { } e && (!e.IsAbsoluteUri || (e.Scheme != Uri.UriSchemeHttp && e.Scheme != Uri.UriSchemeHttps) || e.Query.Length > 0))
            throw new ArgumentException($"the Azure endpoint must be an http(s) URL without a query, not '{Endpoint.GetLeftPart(UriPartial.Path)}'");
        // As Azure's own SDK: a bearer token is a reusable secret, never sent in clear text.
        if (Credential.IsBearer && !ServiceUrl.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"Entra ID tokens are sent only over https, and {ServiceUrl} is not; for an emulator set {AzureAddress.AccountKeyVariable} or {AzureAddress.SasVariable}");
        if (BlockSize < 1 || CopyBlockSize < 1 || CopyBlockSize > MaxBlockSize)
            throw new ArgumentException($"Azure block sizes must be at least 1 byte, and a server-side copy block at most {MaxBlockSize} bytes");
        if (MaxParallelBlocks < 1 || ListPageSize is < 1 or > 5000 || MaxAttempts < 1)
            throw new ArgumentException("Azure MaxParallelBlocks and MaxAttempts must be at least 1, and ListPageSize 1 to 5000");
    }
}
