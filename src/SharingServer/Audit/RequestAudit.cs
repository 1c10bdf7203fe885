using Microsoft.AspNetCore.Http;

namespace ReplicaSync.SharingServer;

/// <summary>What one request's audit line reports beyond the request itself: who asked, and the files and bytes announced.</summary>
internal sealed class RequestAudit
{
    /// <summary>The authenticated recipient; null for signed file URLs, the token endpoint and refused requests.</summary>
    public Recipient? Recipient { get; set; }
    public long Files { get; private set; }
    public long Bytes { get; private set; }

    /// <summary>Counts a file line sent to the client, of <paramref name="size"/> bytes.</summary>
    public void Announced(long size)
    {
        Files++;
        Bytes += size;
    }

    /// <summary>The record of the request <paramref name="http"/> (the pipeline attaches one to every request).</summary>
    public static RequestAudit Of(HttpContext http) => http.Features.Get<RequestAudit>() ?? new RequestAudit();
}
