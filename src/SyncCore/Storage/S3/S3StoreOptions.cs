using Amazon.Runtime;

namespace ReplicaSync.Storage.S3;

/// <summary>
/// Where an <see cref="S3ObjectStore"/> lives and how it talks to S3. Leave <see cref="Credentials"/> null to use
/// the SDK's default chain (environment, profile, web identity, container and instance roles).
/// </summary>
public sealed record S3StoreOptions
{
    /// <summary>S3 refuses smaller parts except the last, so neither the threshold nor a part may be below this.</summary>
    public const int MinPartSize = 5 << 20;

    /// <summary>S3 allows at most this many parts in one multipart upload.</summary>
    public const int MaxParts = 10_000;

    public required string Bucket { get; init; }

    /// <summary>Key prefix every object lives under, without leading or trailing '/'; empty for the bucket root.</summary>
    public string Prefix { get; init; } = "";

    /// <summary>Endpoint of an S3-compatible store or emulator; null for AWS itself.</summary>
    public string? ServiceUrl { get; init; }

    /// <summary>Path-style URLs (<c>host/bucket/key</c>), which most S3-compatible stores and emulators need.</summary>
    public bool ForcePathStyle { get; init; }

    /// <summary>Region to sign for; null lets the SDK resolve it (AWS_REGION, profile), or us-east-1 with an endpoint.</summary>
    public string? Region { get; init; }

    /// <summary>Explicit credentials; null uses the SDK's default credential chain.</summary>
    public AWSCredentials? Credentials { get; init; }

    /// <summary>Objects larger than this are uploaded in parts; smaller ones with one PutObject.</summary>
    public int MultipartThreshold { get; init; } = 16 << 20;

    /// <summary>Size of each part after the first (the first part is the threshold-sized head of the stream).</summary>
    public int PartSize { get; init; } = 8 << 20;

    /// <summary>Parts in flight at once; memory for a write is bounded by threshold + this many parts.</summary>
    public int MaxParallelParts { get; init; } = 4;

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(Bucket))
            throw new ArgumentException("an S3 store needs a bucket name");
        if (Prefix.Length > 0)
            ObjectPath.Validate(Prefix);
        if (MultipartThreshold < MinPartSize || PartSize < MinPartSize)
            throw new ArgumentException($"S3 multipart threshold and part size must be at least {MinPartSize} bytes");
        if (MaxParallelParts < 1)
            throw new ArgumentException("S3 MaxParallelParts must be at least 1");
    }
}
