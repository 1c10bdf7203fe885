using Amazon.Runtime;

namespace ReplicaSync.Tests.Storage;

/// <summary>Gives the SDK an HttpClient that counts the S3 requests a store makes and how many parts overlap.</summary>
internal sealed class S3TrafficRecorder : HttpClientFactory
{
    private int _partsInFlight;

    public int SinglePuts;
    public int Parts;
    public int MaxPartsInFlight;
    public int Aborts;

    public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(new Handler(this) { InnerHandler = new SocketsHttpHandler() });

    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

    private sealed class Handler(S3TrafficRecorder recorder) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            var query = request.RequestUri!.Query;
            var isPart = request.Method == HttpMethod.Put && query.Contains("partNumber=", StringComparison.Ordinal);
            if (request.Method == HttpMethod.Put && !query.Contains("uploadId=", StringComparison.Ordinal))
                Interlocked.Increment(ref recorder.SinglePuts);
            if (request.Method == HttpMethod.Delete && query.Contains("uploadId=", StringComparison.Ordinal))
                Interlocked.Increment(ref recorder.Aborts);
            if (!isPart)
                return await base.SendAsync(request, ct);
            Interlocked.Increment(ref recorder.Parts);
            var now = Interlocked.Increment(ref recorder._partsInFlight);
            lock (recorder)
                recorder.MaxPartsInFlight = Math.Max(recorder.MaxPartsInFlight, now);
            try
            {
                return await base.SendAsync(request, ct);
            }
            finally
            {
                Interlocked.Decrement(ref recorder._partsInFlight);
            }
        }
    }
}
