using System.Net;
using Polly;
using Polly.Retry;
using ReplicaSync.Sharing;
using ReplicaSync.Storage;

namespace ReplicaSync.Sync;

/// <summary>
/// Copies a version's files from pre-signed URLs into the replica, several at a time. A file already present with
/// the announced size (left by an interrupted run) is reused. A file counts as copied only once it is durable
/// with exactly the announced size, so a commit never references a missing or short file.
/// </summary>
public sealed class FileCopier
{
    private readonly IObjectStore _target;
    private readonly HttpClient _http;
    private readonly SyncOptions _options;
    private readonly ResiliencePipeline _retry;

    public FileCopier(IObjectStore target, HttpClient http, SyncOptions options)
    {
        _target = target;
        _http = http;
        _options = options;
        _retry = new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<HttpRequestException>().Handle<IOException>().Handle<TransientHttpException>(),
            MaxRetryAttempts = options.MaxRetries,
            Delay = options.RetryBaseDelay,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            OnRetry = args =>
            {
                options.Observer.Retried(args.Outcome.Exception switch
                {
                    TransientHttpException t => t.Reason,
                    HttpRequestException or IOException => "connection",
                    _ => "other",
                });
                return ValueTask.CompletedTask;
            },
        }).Build();
    }

    /// <summary>Copies every file <paramref name="plan"/> adds (and their deletion vectors).</summary>
    public async Task<CopyStats> CopyAsync(VersionPlan plan, CancellationToken ct)
    {
        var stats = new CopyStats();
        await Parallel.ForEachAsync(plan.Adds, new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrentFiles, CancellationToken = ct },
            async (file, token) =>
            {
                await CopyOneAsync(file.Source.Url, file.Key, file.Action.Size, $"file {file.Source.Id}", stats, token);
                if (file.DeletionVector is { } dv)
                    await CopyOneAsync(dv.Url, dv.Key, null, $"deletion vector of file {file.Source.Id}", stats, token);
            });
        return stats;
    }

    private async Task CopyOneAsync(string url, string key, long? size, string what, CopyStats stats, CancellationToken ct)
    {
        var existing = await _target.StatAsync(key, ct);
        if (existing is not null && (size is null || existing.Size == size))
        {
            stats.AddReused();
            _options.Observer.FileCopied(existing.Size, reused: true);
            return;
        }
        var written = await _retry.ExecuteAsync(async token => await DownloadAsync(url, key, size, what, token), ct);
        stats.AddCopied(written);
        _options.Observer.FileCopied(written, reused: false);
    }

    private async Task<long> DownloadAsync(string url, string key, long? size, string what, CancellationToken ct)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            throw new SyncException($"{what}: the provider's URL {UrlRedactor.Redact(url)} is not an absolute http(s) URL");
        using var response = await _http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, ct);
        if (response.StatusCode == HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500)
            throw new TransientHttpException($"{(int)response.StatusCode}", $"{what}: {(int)response.StatusCode} from {UrlRedactor.Redact(url)}");
        if (!response.IsSuccessStatusCode)
            throw new SyncException($"{what}: the provider's URL {UrlRedactor.Redact(url)} answered {(int)response.StatusCode} {response.ReasonPhrase}" +
                (response.StatusCode == HttpStatusCode.Forbidden ? " (the pre-signed URL may have expired)" : ""));
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        await using var checkedBody = new LengthCheckingStream(body, size, what, _options.Observer);
        return await _target.WriteAsync(key, checkedBody, ct);
    }

    private sealed class TransientHttpException(string reason, string message) : Exception(message)
    {
        public string Reason { get; } = reason;
    }
}

/// <summary>Files and bytes a copy step moved, and files it found already present.</summary>
public sealed class CopyStats
{
    private long _filesCopied, _bytesCopied, _filesReused;
    public long FilesCopied => Interlocked.Read(ref _filesCopied);
    public long BytesCopied => Interlocked.Read(ref _bytesCopied);
    public long FilesReused => Interlocked.Read(ref _filesReused);

    internal void AddCopied(long bytes)
    {
        Interlocked.Increment(ref _filesCopied);
        Interlocked.Add(ref _bytesCopied, bytes);
    }

    internal void AddReused() => Interlocked.Increment(ref _filesReused);
}
