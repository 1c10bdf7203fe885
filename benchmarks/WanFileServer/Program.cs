using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using ReplicaSync.Benchmarks.Wan;

// A file server that looks like an object store in another region: HTTPS, every request's first byte held back by a
// round trip plus the store's own first-byte latency, and every new connection by the round trips of its TCP and TLS
// handshakes. HTTP/1.1 only, as S3 and Azure Blob serve: one request at a time per connection. The bandwidth cap is not
// here: compare-wan.sh puts the server behind a tbf qdisc.
//   dotnet WanFileServer.dll --root DIR --listen 10.0.0.2:8443 --cert cert.pem --key key.pem [--rtt-ms 40] [--first-byte-ms 20-50]
var options = ServerOptions.Parse(args);
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.Limits.MaxConcurrentConnections = null;
    kestrel.Listen(options.Listen, listen =>
    {
        listen.Protocols = Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http1;
        // Before TLS: a new connection pays the TCP and the TLS handshake round trips.
        listen.Use(next => async connection =>
        {
            await Task.Delay(2 * options.RoundTrip);
            await next(connection);
        });
        listen.UseHttps(X509Certificate2.CreateFromPemFile(options.Certificate, options.Key));
    });
});
var app = builder.Build();
app.Use(async (context, next) =>
{
    await Task.Delay(options.RoundTrip + options.FirstByteDelay());
    await next(context);
});
var files = new PhysicalFileProvider(options.Root);
app.UseFileServer(new FileServerOptions
{
    FileProvider = files,
    EnableDirectoryBrowsing = true,
    StaticFileOptions = { ServeUnknownFileTypes = true, ContentTypeProvider = new FileExtensionContentTypeProvider() },
});
Console.WriteLine($"serving {options.Root} on https://{options.Listen}/ (round trip {options.RoundTrip.TotalMilliseconds} ms, first byte +{options.FirstByteMin}-{options.FirstByteMax} ms)");
await app.RunAsync();
