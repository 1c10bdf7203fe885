using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using ReplicaSync.Delta;

namespace ReplicaSync.SharingServer;

/// <summary>Marks an endpoint with the kind of request it serves (for counters, faults and authentication).</summary>
internal sealed record EndpointKind(RequestKind Kind);

/// <summary>
/// The middleware around every endpoint: bearer authentication with a configured token or one the token endpoint
/// issued (except pre-signed file URLs and the token endpoint itself), request counting
/// and injected faults, errors as <c>{"errorCode","message"}</c>, and one log line per request. Log lines
/// carry the path only: query strings hold URL signatures, and tokens are never logged.
/// </summary>
internal sealed class RequestPipeline(ServerContext server)
{
    private readonly byte[][] _tokenHashes = server.Config.BearerTokens.Select(Hash).ToArray();

    public async Task InvokeAsync(HttpContext http, RequestDelegate next)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var kind = http.GetEndpoint()?.Metadata.GetMetadata<EndpointKind>()?.Kind;
            if (kind is not (RequestKind.File or RequestKind.Token) && !IsAuthenticated(http.Request))
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
            server.Logger.LogInformation("{Method} {Path} -> {Status} in {Elapsed:F1} ms", http.Request.Method, http.Request.Path,
                http.Response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    /// <summary>Answers requests that match no endpoint.</summary>
    public static Task NotFoundAsync(HttpContext http) =>
        HttpResponses.WriteErrorAsync(http, 404, ErrorCodes.ResourceDoesNotExist, "no such endpoint");

    private bool IsAuthenticated(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            return false;
        var token = header[scheme.Length..].Trim();
        // Comparing fixed-size hashes in constant time leaks neither the tokens nor their lengths.
        var given = Hash(token);
        var match = false;
        foreach (var expected in _tokenHashes)
            match |= CryptographicOperations.FixedTimeEquals(given, expected);
        return match || server.IssuedTokens.IsValid(given);
    }

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

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
