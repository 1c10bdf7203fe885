using System.Net;
using System.Net.Sockets;
using System.Text;
using ReplicaSync.Sharing;
using ReplicaSync.Sync;
using ReplicaSync.Sync.Copy;

namespace ReplicaSync.Tests.Sync.Copy;

public class SourceReaderTests
{
    private static readonly byte[] Body = Encoding.ASCII.GetBytes("the file's bytes");

    [Fact]
    public async Task A_request_the_server_closes_before_answering_is_retried_at_once_on_a_new_connection()
    {
        // Connections are closed right after their request, as an HTTP/1.0 server's pooled ones are, until the
        // client has given up once (HttpClient first retries on new connections itself); the backoff is ten
        // minutes, so only an immediate retry finishes before the test gives up.
        await using var server = ClosingServer.Start();
        var observer = new RetryCounter(server.StartAnswering);
        var reader = ReaderFor(new SyncOptions { RetryBaseDelay = TimeSpan.FromMinutes(10), Observer = observer });
        using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        using var body = await reader.OpenAsync(Handle(server.Url), 0, null, Body.Length, "file f", giveUp.Token);

        using var copy = new MemoryStream();
        await body.Stream.CopyToAsync(copy, giveUp.Token);
        Assert.Equal(Body, copy.ToArray());
        Assert.Equal(["reset"], observer.Reasons);
    }

    [Fact]
    public async Task A_server_that_closes_every_request_still_fails_after_the_retry_limit()
    {
        await using var server = ClosingServer.Start();
        var observer = new RetryCounter(() => { });
        var reader = ReaderFor(new SyncOptions { RetryBaseDelay = TimeSpan.FromMilliseconds(1), MaxRetries = 3, Observer = observer });

        var e = await Assert.ThrowsAsync<HttpRequestException>(() => reader.OpenAsync(Handle(server.Url), 0, null, Body.Length, "file f", default));

        Assert.Equal(HttpRequestError.ResponseEnded, e.HttpRequestError);
        Assert.Equal(3, observer.Reasons.Count);
        Assert.True(server.Connections >= 4, $"{server.Connections} connections for 4 attempts");
    }

    private static SourceReader ReaderFor(SyncOptions options) => new(FileHttp.CreateClient(), options);

    private static UrlHandle Handle(string url)
    {
        var profile = new SharingProfile(1, new Uri("http://127.0.0.1:9/unused"), "token", null);
        var query = new UrlQuery(new SharingClient(profile), new TableAddress("p", "s", "d", "t"), new QueryRequest(), new SyncOptions());
        return query.Register("f", url, null);
    }

    private sealed class RetryCounter(Action onRetry) : ISyncObserver
    {
        public List<string> Reasons { get; } = [];

        public void Retried(string reason)
        {
            lock (Reasons)
                Reasons.Add(reason);
            onRetry();
        }
    }

    /// <summary>An HTTP server on loopback that closes each connection once its request is read, until told to answer.</summary>
    private sealed class ClosingServer : IAsyncDisposable
    {
        private readonly TcpListener _listener;
        private readonly Task _loop;
        private int _connections;
        private volatile bool _answer;

        private ClosingServer()
        {
            _listener = new TcpListener(IPAddress.Loopback, 0);
            _listener.Start();
            _loop = Task.Run(AcceptAsync);
        }

        public static ClosingServer Start() => new();

        public void StartAnswering() => _answer = true;

        public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/f.parquet";

        public int Connections => Volatile.Read(ref _connections);

        private async Task AcceptAsync()
        {
            while (true)
            {
                Socket socket;
                try
                {
                    socket = await _listener.AcceptSocketAsync();
                }
                // Stopped by DisposeAsync: before the accept started (InvalidOperationException) or during it.
                catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }
                using (socket)
                {
                    Interlocked.Increment(ref _connections);
                    await ReadRequestAsync(socket);
                    if (_answer)
                    {
                        var head = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {Body.Length}\r\nConnection: close\r\n\r\n");
                        await socket.SendAsync(head.Concat(Body).ToArray());
                    }
                    socket.Shutdown(SocketShutdown.Both);
                }
            }
        }

        private static async Task ReadRequestAsync(Socket socket)
        {
            var seen = new StringBuilder();
            var buffer = new byte[1024];
            while (!seen.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                var read = await socket.ReceiveAsync(buffer);
                if (read == 0)
                    return;
                seen.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
        }

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            await _loop;
        }
    }
}
