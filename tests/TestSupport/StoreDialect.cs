using System.Net;
using Microsoft.AspNetCore.Http;

namespace ReplicaSync.TestSupport;

/// <summary>
/// How one store says it failed, so that its own client reads an injected fault as it reads a real one: the statuses
/// and error codes it answers for internal errors and throttling, and the error body's format.
/// </summary>
public sealed class StoreDialect
{
    private readonly Func<HttpResponse, Fault, Task> _write;

    private StoreDialect(string name, IReadOnlyList<Fault> faults, Func<HttpResponse, Fault, Task> write, bool resumableUploads = false)
    {
        Name = name;
        ResumableUploads = resumableUploads;
        Faults = faults;
        _write = write;
    }

    /// <summary>One failure answer: the HTTP status and the store's error code for it.</summary>
    public sealed record Fault(HttpStatusCode Status, string Code);

    /// <summary>S3: XML errors; 503 SlowDown is its throttling answer.</summary>
    public static readonly StoreDialect S3 = new("s3",
        [new(HttpStatusCode.InternalServerError, "InternalError"), new(HttpStatusCode.ServiceUnavailable, "SlowDown")],
        (response, fault) => WriteXmlAsync(response, fault));

    /// <summary>Azure Blob: XML errors whose code also goes in <c>x-ms-error-code</c> (all a HEAD answer carries); 503 ServerBusy throttles.</summary>
    public static readonly StoreDialect Azure = new("azure",
        [new(HttpStatusCode.InternalServerError, "InternalError"), new(HttpStatusCode.ServiceUnavailable, "ServerBusy")],
        (response, fault) =>
        {
            response.Headers["x-ms-error-code"] = fault.Code;
            return WriteXmlAsync(response, fault);
        });

    /// <summary>GCS JSON API: JSON errors; it throttles with 429 rateLimitExceeded and fails with 500/503 backendError.</summary>
    public static readonly StoreDialect Gcs = new("gcs",
        [
            new(HttpStatusCode.InternalServerError, "backendError"), new(HttpStatusCode.ServiceUnavailable, "backendError"),
            new(HttpStatusCode.TooManyRequests, "rateLimitExceeded"),
        ],
        (response, fault) => response.WriteAsJsonAsync(new
        {
            error = new
            {
                code = (int)fault.Status,
                message = $"{fault.Code}: injected by the test proxy",
                errors = new[] { new { reason = fault.Code, message = "injected by the test proxy" } },
            },
        }),
        resumableUploads: true);

    /// <summary>The dialect of the store named s3, azure or gcs.</summary>
    public static StoreDialect Named(string name) => new[] { S3, Azure, Gcs }.SingleOrDefault(d => d.Name == name)
        ?? throw new ArgumentException($"no fault dialect for store '{name}': s3, azure or gcs", nameof(name));

    /// <summary>s3, azure or gcs.</summary>
    public string Name { get; }

    /// <summary>Uploads are GCS resumable sessions, whose status queries the proxy answers (<see cref="UploadStatusLedger"/>).</summary>
    public bool ResumableUploads { get; }

    /// <summary>The answers a fault is drawn from, with equal chances.</summary>
    public IReadOnlyList<Fault> Faults { get; }

    /// <summary>Words a client's error message carries when it reports one of <see cref="Faults"/>.</summary>
    public IEnumerable<string> Words => Faults.SelectMany(f => new[] { f.Code, ((int)f.Status).ToString() }).Distinct();

    /// <summary>Answers <paramref name="response"/> with <paramref name="fault"/> in this store's format.</summary>
    public Task WriteAsync(HttpResponse response, Fault fault)
    {
        response.StatusCode = (int)fault.Status;
        return _write(response, fault);
    }

    private static Task WriteXmlAsync(HttpResponse response, Fault fault)
    {
        // A HEAD answer has no body, as the stores send it: announcing an XML one that never comes made the Azure SDK
        // fail parsing it (XmlException) instead of reporting the status, once a HEAD had failed all its retries.
        if (HttpMethods.IsHead(response.HttpContext.Request.Method))
        {
            response.ContentLength = 0;
            return Task.CompletedTask;
        }
        response.ContentType = "application/xml";
        return response.WriteAsync($"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{fault.Code}</Code><Message>injected by the test proxy</Message></Error>");
    }

    public override string ToString() => Name;
}
