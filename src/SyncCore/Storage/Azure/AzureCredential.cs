using Azure;
using Azure.Core;
using Azure.Storage;
using Azure.Storage.Blobs;

namespace ReplicaSync.Storage.Azure;

/// <summary>
/// How requests to the Blob service are authorized: the account key (SharedKey), a SAS token, or Entra ID tokens from
/// any Azure.Core <see cref="TokenCredential"/> (DefaultAzureCredential, workload or managed identity). The SDK signs,
/// appends and caches; this class picks its credential type and knows which strings must never be printed.
/// <see cref="object.ToString"/> names the kind only, never the secret.
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

    /// <summary>A service client for <paramref name="serviceUrl"/> that authorizes every request with this credential.</summary>
    internal abstract BlobServiceClient CreateClient(Uri serviceUrl, string account, BlobClientOptions options);

    /// <summary>Strings that must never appear in an error or log: the key, the SAS, the latest token.</summary>
    internal abstract IEnumerable<string> Secrets { get; }

    private sealed class SharedKeyCredential : AzureCredential
    {
        private readonly string _encoded;

        public SharedKeyCredential(string accountKey)
        {
            _encoded = accountKey.Trim();
            byte[] key;
            try
            {
                key = Convert.FromBase64String(_encoded);
            }
            catch (FormatException)
            {
                // Never echo the value: a mistyped key is still mostly a key.
                throw new ArgumentException("the Azure account key is not valid base64");
            }
            if (key.Length == 0)
                throw new ArgumentException("the Azure account key is empty");
        }

        public override string Kind => "account key";

        internal override IEnumerable<string> Secrets => [_encoded];

        internal override BlobServiceClient CreateClient(Uri serviceUrl, string account, BlobClientOptions options) =>
            new(serviceUrl, new StorageSharedKeyCredential(account, _encoded), options);
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

        internal override BlobServiceClient CreateClient(Uri serviceUrl, string account, BlobClientOptions options) =>
            new(serviceUrl, new AzureSasCredential(_token), options);
    }

    private sealed class BearerCredential(TokenCredential credential) : AzureCredential
    {
        private readonly TokenRecorder _tokens = new(credential);

        public override string Kind => "Entra ID token";

        internal override bool IsBearer => true;

        internal override IEnumerable<string> Secrets => _tokens.Latest is { } token ? [token] : [];

        internal override BlobServiceClient CreateClient(Uri serviceUrl, string account, BlobClientOptions options) =>
            new(serviceUrl, _tokens, options);
    }

    /// <summary>Passes token requests through and remembers the latest token, so errors can mask it.</summary>
    private sealed class TokenRecorder(TokenCredential inner) : TokenCredential
    {
        private volatile string? _latest;

        public string? Latest => _latest;

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            Remember(inner.GetToken(requestContext, cancellationToken));

        public override async ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            Remember(await inner.GetTokenAsync(requestContext, cancellationToken));

        private AccessToken Remember(AccessToken token)
        {
            _latest = token.Token;
            return token;
        }
    }
}
