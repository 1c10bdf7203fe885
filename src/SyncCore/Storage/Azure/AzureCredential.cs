using AccessToken = global::Azure.Core.AccessToken;
using TokenCredential = global::Azure.Core.TokenCredential;
using TokenRequestContext = global::Azure.Core.TokenRequestContext;

namespace ReplicaSync.Storage.Azure;

/// <summary>
/// How requests to the Blob service are authorized: a SharedKey signature with the account key, a SAS token
/// appended to every URL, or an Entra ID bearer token from an Azure.Core <see cref="TokenCredential"/>
/// (DefaultAzureCredential by default). <see cref="object.ToString"/> names the kind only, never the secret.
/// </summary>
public abstract class AzureCredential
{
    private protected AzureCredential()
    {
    }

    /// <summary>Signs with the account key (base64, as the portal shows it).</summary>
    public static AzureCredential SharedKey(string accountKey) => new SharedKeyCredential(accountKey);

    /// <summary>Appends a SAS token (with or without its leading '?') to every request.</summary>
    public static AzureCredential Sas(string token) => new SasCredential(token);

    /// <summary>Sends <c>Authorization: Bearer</c> with tokens for https://storage.azure.com from <paramref name="credential"/>.</summary>
    public static AzureCredential Bearer(TokenCredential credential) => new BearerCredential(credential);

    /// <summary>What kind of credential this is, for messages.</summary>
    public abstract string Kind { get; }

    internal virtual bool IsBearer => false;

    public sealed override string ToString() => Kind;

    /// <summary>Adds authorization to a request whose URL and headers (x-ms-date included) are final.</summary>
    internal abstract ValueTask AuthorizeAsync(HttpRequestMessage request, string account, CancellationToken ct);

    /// <summary>Strings that must never appear in an error or log: the key, the SAS, the current token.</summary>
    internal abstract IEnumerable<string> Secrets { get; }

    private sealed class SharedKeyCredential : AzureCredential
    {
        private readonly string _encoded;
        private readonly byte[] _key;

        public SharedKeyCredential(string accountKey)
        {
            _encoded = accountKey.Trim();
            try
            {
                _key = Convert.FromBase64String(_encoded);
            }
            catch (FormatException)
            {
                // Never echo the value: a mistyped key is still mostly a key.
                throw new ArgumentException("the Azure account key is not valid base64");
            }
            if (_key.Length == 0)
                throw new ArgumentException("the Azure account key is empty");
        }

        public override string Kind => "account key";

        internal override IEnumerable<string> Secrets => [_encoded];

        internal override ValueTask AuthorizeAsync(HttpRequestMessage request, string account, CancellationToken ct)
        {
            request.Headers.TryAddWithoutValidation("Authorization", SharedKeySigner.Authorization(request, account, _key));
            return ValueTask.CompletedTask;
        }
    }

    private sealed class SasCredential : AzureCredential
    {
        private readonly string _token;

        public SasCredential(string token)
        {
            _token = token.Trim().TrimStart('?');
            if (!_token.Contains("sig=", StringComparison.Ordinal))
                throw new ArgumentException("the Azure SAS token has no sig= parameter; give the query string the portal generated");
        }

        public override string Kind => "SAS token";

        internal override IEnumerable<string> Secrets
        {
            get
            {
                yield return _token;
                // The signature alone is what matters; it can show up without the rest (URL-encoded or not).
                foreach (var part in _token.Split('&'))
                {
                    if (part.StartsWith("sig=", StringComparison.Ordinal) && part.Length > 4)
                    {
                        yield return part[4..];
                        yield return Uri.UnescapeDataString(part[4..]);
                    }
                }
            }
        }

        internal override ValueTask AuthorizeAsync(HttpRequestMessage request, string account, CancellationToken ct)
        {
            var uri = request.RequestUri!.AbsoluteUri;
            request.RequestUri = new Uri(uri + (uri.Contains('?', StringComparison.Ordinal) ? "&" : "?") + _token);
            return ValueTask.CompletedTask;
        }
    }

    private sealed class BearerCredential(TokenCredential credential) : AzureCredential
    {
        private static readonly TokenRequestContext Scope = new(["https://storage.azure.com/.default"]);
        private readonly SemaphoreSlim _refresh = new(1, 1);
        // A class read and replaced whole, so concurrent requests never see half of a token update.
        private volatile CachedToken? _token;

        public override string Kind => "Entra ID token";

        internal override bool IsBearer => true;

        internal override IEnumerable<string> Secrets => _token is { } t ? [t.Token] : [];

        internal override async ValueTask AuthorizeAsync(HttpRequestMessage request, string account, CancellationToken ct)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + await TokenAsync(ct));
        }

        private async ValueTask<string> TokenAsync(CancellationToken ct)
        {
            if (Fresh(_token) is { } cached)
                return cached;
            await _refresh.WaitAsync(ct);
            try
            {
                if (Fresh(_token) is { } again)
                    return again;
                AccessToken token = await credential.GetTokenAsync(Scope, ct);
                _token = new CachedToken(token.Token, token.ExpiresOn);
                return token.Token;
            }
            finally
            {
                _refresh.Release();
            }
        }

        /// <summary>The cached token while it has more than five minutes left (Azure.Core's own refresh margin).</summary>
        private static string? Fresh(CachedToken? token) =>
            token is not null && token.ExpiresOn > DateTimeOffset.UtcNow.AddMinutes(5) ? token.Token : null;

        // A plain class, not a record: a record's ToString would print the token.
        private sealed class CachedToken(string token, DateTimeOffset expiresOn)
        {
            public string Token { get; } = token;
            public DateTimeOffset ExpiresOn { get; } = expiresOn;
        }
    }
}
