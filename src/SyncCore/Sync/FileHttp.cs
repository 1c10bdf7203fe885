using System.Net;

namespace ReplicaSync.Sync;

/// <summary>
/// The HTTP client used for pre-signed file URLs: no bearer token, no decompression, no cookies; a connection per
/// concurrent stream, kept alive and recycled; HTTP/2 when a TLS server offers it (HTTP/1.1 otherwise), with
/// large windows so one connection can carry bulk data.
/// </summary>
public static class FileHttp
{
    public static HttpClient CreateClient() => new(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
        MaxConnectionsPerServer = 256,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        ConnectTimeout = TimeSpan.FromSeconds(30),
        EnableMultipleHttp2Connections = true,
        InitialHttp2StreamWindowSize = 16 << 20,
        KeepAlivePingDelay = TimeSpan.FromSeconds(30),
        KeepAlivePingTimeout = TimeSpan.FromSeconds(20),
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
        DefaultRequestVersion = HttpVersion.Version20,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
    };
}
