using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using ReplicaSync.Delta;

namespace ReplicaSync.SharingServer;

/// <summary>Marks an endpoint with the kind of request it serves (for counters, faults and authentication).</summary>
internal sealed record EndpointKind(RequestKind Kind);

/// <summary>
/// The middleware around every endpoint: a cap on the request body (413), bearer authentication with a recipient's
/// token, a configured token or one the token endpoint issued (except pre-signed file URLs and the token endpoint
/// itself), request counting and injected faults, errors as <c>{"errorCode","message"}</c>, and one audit line per
/// request (<see cref="AuditLine"/>). Query strings hold URL signatures and are never logged, nor are tokens.
/// </summary>
internal sealed class RequestPipeline(ServerContext server)
{
    public async Task InvokeAsync(HttpContext http, RequestDelegate next)
    {
        var started = Stopwatch.GetTimestamp();
        var audit = new RequestAudit();
        http.Features.Set(audit);
        try
        {
            var limit = server.Config.MaxRequestBodyBytes;
            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
                bodySize.MaxRequestBodySize = limit;
            if (http.Request.ContentLength > limit)
            {
                await HttpResponses.WriteErrorAsync(http, 413, ErrorCodes.MalformedRequest, $"the request body is larger than {limit} bytes");
                return;
            }
            var kind = http.GetEndpoint()?.Metadata.GetMetadata<EndpointKind>()?.Kind;
            if (kind is not (RequestKind.File or RequestKind.Token) && (audit.Recipient = Authenticate(http.Request)) is null)
            {
                http.Response.Headers.WWWAuthenticate = "Bearer";
                await HttpResponses.WriteErrorAsync(http, 401, ErrorCodes.Unauthenticated, "a valid bearer token is required");
                return;
            }
            if (kind is { } k && server.Faults.OnRequest(k) is { } fault)
            {
                if (fault.Status is { } status)
                    await HttpResponses.WriteErrorAsync(http, status, CodeFor(status), $"injected fault (status {status})");
                else
                    http.Abort();
                return;
            }
            if (kind is { } slow && server.Faults.TakeDelay(slow) is { } delay)
                await Task.Delay(delay, http.RequestAborted);
            await next(http);
        }
        catch (SharingException e) when (!http.Response.HasStarted)
        {
            await HttpResponses.WriteErrorAsync(http, e.Status, e.ErrorCode, e.Message);
        }
        catch (BadHttpRequestException e) when (!http.Response.HasStarted)
        {
            // Kestrel's own refusals while the body is read: over the size cap (chunked bodies declare no length), or garbled.
            await HttpResponses.WriteErrorAsync(http, e.StatusCode, ErrorCodes.MalformedRequest, e.StatusCode == 413
                ? $"the request body is larger than {server.Config.MaxRequestBodyBytes} bytes"
                : "the request body could not be read");
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
        }
        catch (Exception e)
        {
            // Details stay in the server log: exception messages name server paths.
            server.Logger.LogError(e, "{Method} {Path} failed", http.Request.Method, http.Request.Path);
            if (http.Response.HasStarted)
                http.Abort();
            else
                await HttpResponses.WriteErrorAsync(http, 500, ErrorCodes.InternalError,
                    e is DeltaFormatException ? "the table's Delta log could not be read" : "internal error");
        }
        finally
        {
            AuditLine.Write(server.AuditLogger, http, started);
        }
    }

    /// <summary>Answers requests that match no endpoint.</summary>
    public static Task NotFoundAsync(HttpContext http) =>
        HttpResponses.WriteErrorAsync(http, 404, ErrorCodes.ResourceDoesNotExist, "no such endpoint");

    /// <summary>The recipient the bearer token stands for, or null when there is no valid, unexpired token.</summary>
    private Recipient? Authenticate(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            return null;
        // Fixed-size hashes compared in constant time leak neither the tokens nor their lengths.
        var given = RecipientRegistry.Hash(header[scheme.Length..].Trim());
        return server.Recipients.Find(given) ?? server.IssuedTokens.Find(given);
    }

    private static string CodeFor(int status) => status switch
    {
        400 => ErrorCodes.InvalidParameterValue,
        401 => ErrorCodes.Unauthenticated,
        403 => ErrorCodes.PermissionDenied,
        404 => ErrorCodes.ResourceDoesNotExist,
        >= 500 => ErrorCodes.InternalError,
        _ => "REQUEST_FAILED",
    };
}
