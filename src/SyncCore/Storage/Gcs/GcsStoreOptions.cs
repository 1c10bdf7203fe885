namespace ReplicaSync.Storage.Gcs;

/// <summary>Where a <see cref="GcsObjectStore"/> lives, how it authenticates and how it sizes uploads.</summary>
public sealed record GcsStoreOptions
{
    /// <summary>GCS requires every resumable chunk but the last to be a multiple of this (256 KiB).</summary>
    public const int ChunkGranularity = 256 << 10;

    public static readonly Uri DefaultEndpoint = new("https://storage.googleapis.com/");

    public required string Bucket { get; init; }

    /// <summary>Key prefix every object lives under, without leading or trailing '/'; empty for the bucket root.</summary>
    public string Prefix { get; init; } = "";

    /// <summary>The JSON API's root: Google's by default, or an emulator or private endpoint.</summary>
    public Uri Endpoint { get; init; } = DefaultEndpoint;

    /// <summary>How requests are authenticated; see <see cref="GcsCredentials"/>.</summary>
    public GcsCredentials Credentials { get; init; } = GcsCredentials.ApplicationDefault;

    /// <summary>A service-account key file, used when <see cref="Credentials"/> is <see cref="GcsCredentials.KeyFile"/>.</summary>
    public string? KeyFile { get; init; }

    /// <summary>
    /// Bodies shorter than this are read whole and sent in one request of known length; longer ones stream as a
    /// chunked resumable upload. Small writes (commits) so never hold a chunk-sized buffer.
    /// </summary>
    public int SimpleUploadLimit { get; init; } = 4 << 20;

    /// <summary>Bytes per resumable chunk (a multiple of 256 KiB); memory for a large write is one chunk.</summary>
    public int ChunkSize { get; init; } = 16 << 20;

    /// <summary>
    /// Attempts per read, and per upload of a body held in memory, for throttling (429), 408 and 5xx (reads also for
    /// connection failures). The client retries metadata and listing calls itself; see <see cref="GcsRetry"/>.
    /// </summary>
    public int MaxAttempts { get; init; } = 4;

    /// <summary>First delay before a read or upload is tried again; it doubles per attempt, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(Bucket))
            throw new ArgumentException("a GCS store needs a bucket name");
        if (Prefix.Length > 0)
            ObjectPath.Validate(Prefix);
        if (ChunkSize < ChunkGranularity || ChunkSize % ChunkGranularity != 0)
            throw new ArgumentException($"GCS ChunkSize must be a positive multiple of {ChunkGranularity} bytes, not {ChunkSize}");
        if (SimpleUploadLimit < 1 || SimpleUploadLimit > ChunkSize)
            throw new ArgumentException("GCS SimpleUploadLimit must be between 1 and ChunkSize");
        if (MaxAttempts < 1)
            throw new ArgumentException($"GCS MaxAttempts must be at least 1, not {MaxAttempts}");
        if (Credentials == GcsCredentials.KeyFile && string.IsNullOrWhiteSpace(KeyFile))
            throw new ArgumentException("GCS key-file credentials need a KeyFile path");
    }
}

/// <summary>Where GCS credentials come from.</summary>
public enum GcsCredentials
{
    /// <summary>
    /// Google's application-default chain: GOOGLE_APPLICATION_CREDENTIALS (a service-account key or a workload
    /// identity federation config), gcloud's application-default login, then the metadata server (GKE workload identity).
    /// </summary>
    ApplicationDefault,

    /// <summary>The service-account key file named by <see cref="GcsStoreOptions.KeyFile"/>.</summary>
    KeyFile,

    /// <summary>No Authorization header: emulators.</summary>
    None,
}
