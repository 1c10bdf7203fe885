using System.Buffers;
using System.Net;
using System.Runtime.CompilerServices;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace ReplicaSync.Storage.S3;

/// <summary>
/// A bucket and key prefix on S3 or an S3-compatible store. Small writes are one PutObject, large ones a multipart
/// upload that is aborted on failure, so readers never see a partial object; put-if-absent is a conditional
/// PutObject (<c>If-None-Match: *</c>).
/// </summary>
public sealed class S3ObjectStore : IObjectStore, IMultipartWrites, IPresignedReads, IDisposable
{
    private const int ConflictRetries = 5;
    private const int SmallObjectSize = 1 << 20;
    private readonly IAmazonS3 _client;
    private readonly S3StoreOptions _options;
    private readonly string _prefix;
    private readonly string[] _secrets;
    private readonly PartFeeder _parts;

    public S3ObjectStore(S3StoreOptions options) : this(CreateClient(options), options)
    {
    }

    /// <summary>Uses a client built elsewhere (tests watch its HTTP traffic); the store disposes it.</summary>
    internal S3ObjectStore(IAmazonS3 client, S3StoreOptions options)
    {
        options.Validate();
        _options = options;
        _prefix = options.Prefix;
        _client = client;
        _secrets = KnownSecrets(options.Credentials);
        _parts = new PartFeeder(options.MultipartThreshold, options.PartSize, options.MaxParallelParts);
    }

    public string Location => $"s3://{_options.Bucket}/{_prefix}";

    public async Task<ObjectInfo?> StatAsync(string path, CancellationToken ct)
    {
        var key = Key(path);
        try
        {
            var head = await _client.GetObjectMetadataAsync(_options.Bucket, key, ct);
            return new ObjectInfo(path, head.ContentLength, ToTime(head.LastModified));
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound && e.ErrorCode != "NoSuchBucket")
        {
            return null;
        }
        catch (Exception e) when (e is AmazonServiceException or AmazonClientException)
        {
            throw Fail(e, "HeadObject", key);
        }
    }

    public async Task<Stream> OpenReadAsync(string path, ByteRange? range, CancellationToken ct)
    {
        var key = Key(path);
        if (range is { Length: 0 })
            return await StatAsync(path, ct) is null ? throw new ObjectNotFoundException(path) : Stream.Null;
        var request = new GetObjectRequest { BucketName = _options.Bucket, Key = key };
        if (range is { } r)
            request.ByteRange = r.Length is { } n ? new Amazon.S3.Model.ByteRange(r.Offset, r.Offset + n - 1) : new Amazon.S3.Model.ByteRange($"bytes={r.Offset}-");
        try
        {
            var response = await _client.GetObjectAsync(request, ct);
            return response.ResponseStream;
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchKey")
        {
            throw new ObjectNotFoundException(path);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            // The object exists but the range starts at or past its end: like a local file, that reads as empty.
            return Stream.Null;
        }
        catch (Exception e) when (e is AmazonServiceException or AmazonClientException)
        {
            throw Fail(e, "GetObject", key);
        }
    }

    public async Task<long> WriteAsync(string path, Stream content, CancellationToken ct)
    {
        var key = Key(path);
        // Most objects (commits, small data files) are tiny: read into a small buffer first, so a burst of small
        // writes does not pin a threshold-sized buffer each.
        var start = ArrayPool<byte>.Shared.Rent(SmallObjectSize);
        try
        {
            var filled = await content.ReadAtLeastAsync(start.AsMemory(0, SmallObjectSize), SmallObjectSize, throwOnEndOfStream: false, ct);
            if (filled < SmallObjectSize)
            {
                await PutAsync(key, new MemoryStream(start, 0, filled, writable: false), ifNoneMatch: false, ct);
                return filled;
            }
            return await WriteLargeAsync(key, start.AsMemory(0, filled), content, ct);
        }
        catch (Exception e) when (e is AmazonServiceException or AmazonClientException)
        {
            throw Fail(e, "PutObject", key);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(start);
        }
    }

    public Task<Func<string, Uri>> ReadUrlSignerAsync(DateTimeOffset expiresAt, CancellationToken ct)
    {
        // SigV4 query signing is local computation; plain http only toward an emulator or private endpoint.
        var protocol = _options.ServiceUrl?.StartsWith("http://", StringComparison.OrdinalIgnoreCase) == true ? Protocol.HTTP : Protocol.HTTPS;
        Func<string, Uri> sign = path =>
        {
            var key = Key(path);
            try
            {
                return new Uri(_client.GetPreSignedURL(new GetPreSignedUrlRequest
                {
                    BucketName = _options.Bucket, Key = key, Verb = HttpVerb.GET, Expires = expiresAt.UtcDateTime, Protocol = protocol,
                }));
            }
            catch (Exception e) when (e is AmazonServiceException or AmazonClientException)
            {
                throw Fail(e, "presign GET", key);
            }
        };
        return Task.FromResult(sign);
    }

    public long MinPartSize => S3StoreOptions.MinPartSize;

    public int MaxParts => S3StoreOptions.MaxParts;

    public async Task<IMultipartWrite> BeginAsync(string path, long size, CancellationToken ct)
    {
        var key = Key(path);
        try
        {
            var created = await _client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = _options.Bucket, Key = key }, ct);
            return new S3MultipartWrite(_client, _options, key, created.UploadId, size, (e, operation) => Fail(e, operation, key));
        }
        catch (Exception e) when (e is AmazonServiceException or AmazonClientException)
        {
            throw Fail(e, "CreateMultipartUpload", key);
        }
    }

    public async Task<bool> PutIfAbsentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken ct)
    {
        using var body = new MemoryStream(content.ToArray(), writable: false);
        return await PutIfAbsentAsync(path, body, ct);
    }

    public async Task<bool> PutIfAbsentAsync(string path, Stream content, CancellationToken ct)
    {
        var key = Key(path);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                content.Position = 0;
                await PutAsync(key, content, ifNoneMatch: true, ct, closeBody: false);
                return true;
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.PreconditionFailed)
            {
                return false;
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.Conflict && attempt < ConflictRetries)
            {
                // 409 ConditionalRequestConflict: a competing conditional write was in flight; S3 asks us to retry.
                await Task.Delay(TimeSpan.FromMilliseconds(25 << attempt), ct);
            }
            catch (Exception e) when (e is AmazonServiceException or AmazonClientException)
            {
                throw Fail(e, "conditional PutObject", key);
            }
        }
    }

    public IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, CancellationToken ct) => List(prefix, null, ct);

    /// <summary>Starts the listing server-side (ListObjectsV2 StartAfter) instead of filtering a full listing.</summary>
    public IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, string startAfter, CancellationToken ct) => List(prefix, startAfter, ct);

    private async IAsyncEnumerable<ObjectInfo> List(string prefix, string? startAfter, [EnumeratorCancellation] CancellationToken ct)
    {
        var request = new ListObjectsV2Request { BucketName = _options.Bucket, Prefix = ObjectPath.Join(_prefix, prefix) };
        if (startAfter is not null)
            request.StartAfter = ObjectPath.Join(_prefix, startAfter);
        if (_prefix.Length > 0 && prefix.Length == 0)
            request.Prefix = _prefix + "/";
        var strip = _prefix.Length == 0 ? 0 : _prefix.Length + 1;
        do
        {
            ListObjectsV2Response page;
            try
            {
                page = await _client.ListObjectsV2Async(request, ct);
            }
            catch (Exception e) when (e is AmazonServiceException or AmazonClientException)
            {
                throw Fail(e, "ListObjectsV2", request.Prefix);
            }
            foreach (var o in page.S3Objects ?? [])
                yield return new ObjectInfo(o.Key[strip..], o.Size ?? 0, ToTime(o.LastModified));
            request.ContinuationToken = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (request.ContinuationToken is not null);
    }

    public async Task DeleteAsync(string path, CancellationToken ct)
    {
        var key = Key(path);
        try
        {
            await _client.DeleteObjectAsync(_options.Bucket, key, ct);
        }
        catch (Exception e) when (e is AmazonServiceException or AmazonClientException)
        {
            throw Fail(e, "DeleteObject", key);
        }
    }

    public void Dispose() => _client.Dispose();

    /// <summary>Fills a threshold-sized head after <paramref name="start"/>; one PutObject if the stream ends there, else multipart.</summary>
    private async Task<long> WriteLargeAsync(string key, ReadOnlyMemory<byte> start, Stream content, CancellationToken ct)
    {
        var (head, filled) = await _parts.FillHeadAsync(start, content, ct);
        if (filled == _parts.HeadSize)
        {
            // The upload owns the head buffer from here and returns it to the pool.
            return await new S3MultipartUpload(_client, _options, key, _parts, e => Fail(e, "multipart upload", key)).RunAsync(head, content, ct);
        }
        try
        {
            await PutAsync(key, new MemoryStream(head, 0, filled, writable: false), ifNoneMatch: false, ct);
            return filled;
        }
        finally
        {
            _parts.Return(head);
        }
    }

    private Task PutAsync(string key, Stream body, bool ifNoneMatch, CancellationToken ct, bool closeBody = true)
    {
        var request = new PutObjectRequest
        {
            BucketName = _options.Bucket, Key = key, InputStream = body, AutoCloseStream = closeBody,
            // Emulators store aws-chunked framing as object data; a plain body works everywhere.
            UseChunkEncoding = false,
        };
        if (ifNoneMatch)
            request.IfNoneMatch = "*";
        return _client.PutObjectAsync(request, ct);
    }

    private string Key(string path) => ObjectPath.Join(_prefix, ObjectPath.Validate(path));

    private S3StoreException Fail(Exception e, string operation, string key) => S3Errors.Wrap(e, operation, _options.Bucket, key, _secrets);

    private static DateTimeOffset ToTime(DateTime? time) =>
        time is { } t ? new DateTimeOffset(t.ToUniversalTime(), TimeSpan.Zero) : DateTimeOffset.UnixEpoch;

    private static AmazonS3Client CreateClient(S3StoreOptions options)
    {
        var config = new AmazonS3Config { ForcePathStyle = options.ForcePathStyle };
        if (options.ServiceUrl is { } url)
        {
            config.ServiceURL = url;
            config.AuthenticationRegion = options.Region ?? "us-east-1";
        }
        else if (options.Region is { } region)
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(region);
        }
        try
        {
            return options.Credentials is { } credentials ? new AmazonS3Client(credentials, config) : new AmazonS3Client(config);
        }
        catch (AmazonClientException e) when (options.Region is null && options.ServiceUrl is null)
        {
            throw new ArgumentException($"no AWS region for s3://{options.Bucket}: set AWS_REGION (or a profile region), or an endpoint ({e.Message})");
        }
    }

    /// <summary>Secrets that must never appear in an error: explicit ones and those the default chain reads from the environment.</summary>
    private static string[] KnownSecrets(AWSCredentials? credentials)
    {
        var secrets = new List<string?> { Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY"), Environment.GetEnvironmentVariable("AWS_SESSION_TOKEN") };
        // Only static credentials are read here: resolving a role or web identity would be network I/O in a constructor.
        if (credentials is BasicAWSCredentials or SessionAWSCredentials)
        {
            var immutable = credentials.GetCredentials();
            secrets.Add(immutable.SecretKey);
            secrets.Add(immutable.Token);
        }
        return secrets.Where(s => !string.IsNullOrEmpty(s)).Select(s => s!).ToArray();
    }
}
