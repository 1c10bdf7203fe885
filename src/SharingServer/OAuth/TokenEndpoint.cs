using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace ReplicaSync.SharingServer;

/// <summary>
/// <c>POST {prefix}/oauth/token</c>: the OAuth client-credentials grant (RFC 6749 §4.4). The client authenticates with
/// HTTP Basic (or <c>client_id</c>/<c>client_secret</c> form fields) and gets a random bearer token that the other
/// endpoints accept until it expires. Errors use the RFC's <c>{"error","error_description"}</c> body.
/// </summary>
internal sealed class TokenEndpoint(ServerContext server)
{
    private readonly OAuthClientRegistry _clients = new(server.Config.OAuthClients, server.Recipients.ByName);

    public async Task HandleAsync(HttpContext http)
    {
        var request = http.Request;
        http.Response.Headers.CacheControl = "no-store";
        if (!request.HasFormContentType)
        {
            await ErrorAsync(http, 400, "invalid_request", "the body must be application/x-www-form-urlencoded");
            return;
        }
        var form = await request.ReadFormAsync(http.RequestAborted);
        if (form["grant_type"].ToString() != "client_credentials")
        {
            await ErrorAsync(http, 400, "unsupported_grant_type", "only grant_type=client_credentials is supported");
            return;
        }
        var client = Credentials(request, form) is var (id, secret) ? _clients.Authenticate(id, secret) : null;
        if (client is not (var accepted, var recipient))
        {
            http.Response.Headers.WWWAuthenticate = "Basic realm=\"delta-sharing\"";
            await ErrorAsync(http, 401, "invalid_client", "unknown client or wrong secret");
            return;
        }
        var token = server.IssuedTokens.Issue(accepted, recipient);
        await HttpResponses.WriteJsonAsync(http.Response, w =>
        {
            w.WriteStartObject();
            w.WriteString("access_token", token);
            w.WriteString("token_type", "Bearer");
            w.WriteNumber("expires_in", (long)accepted.TotalSeconds);
            if (form["scope"].ToString() is { Length: > 0 } scope)
                w.WriteString("scope", scope);
            w.WriteEndObject();
        }, http.RequestAborted);
    }

    /// <summary>The client id and secret from the Basic header (each part form-urlencoded), else from the form.</summary>
    private static (string Id, string Secret)? Credentials(HttpRequest request, IFormCollection form)
    {
        if (AuthenticationHeaderValue.TryParse(request.Headers.Authorization.ToString(), out var header) &&
            string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase) && header.Parameter is { } encoded)
        {
            string pair;
            try
            {
                pair = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
            }
            catch (FormatException)
            {
                return null;
            }
            var colon = pair.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? null : (WebUtility.UrlDecode(pair[..colon]), WebUtility.UrlDecode(pair[(colon + 1)..]));
        }
        var id = form["client_id"].ToString();
        var secret = form["client_secret"].ToString();
        return id.Length > 0 && secret.Length > 0 ? (id, secret) : null;
    }

    private static Task ErrorAsync(HttpContext http, int status, string error, string description)
    {
        http.Response.StatusCode = status;
        return HttpResponses.WriteJsonAsync(http.Response, w =>
        {
            w.WriteStartObject();
            w.WriteString("error", error);
            w.WriteString("error_description", description);
            w.WriteEndObject();
        }, http.RequestAborted);
    }
}
