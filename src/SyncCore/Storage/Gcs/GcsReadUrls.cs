using Google.Apis.Auth.OAuth2;
using Google.Cloud.Storage.V1;

namespace ReplicaSync.Storage.Gcs;

/// <summary>
/// V4 signed GET URLs for a bucket. Signing needs a service account: its key (a key file, or application-default
/// credentials that hold one) signs locally; compute and impersonated credentials sign through the IAM signBlob call.
/// Without credentials (an emulator) nothing can sign, which is refused with the reason.
/// </summary>
internal sealed class GcsReadUrls(GcsStoreOptions options, GoogleCredential? credential)
{
    private UrlSigner? _signer;

    /// <summary>A signer of GET URLs that expire at <paramref name="expiresAt"/>; <paramref name="keyOf"/> maps a store path to its object name.</summary>
    public async Task<Func<string, Uri>> SignerAsync(Func<string, string> keyOf, DateTimeOffset expiresAt, CancellationToken ct)
    {
        var signer = _signer ??= await CreateAsync(ct);
        var signing = UrlSigner.Options.FromExpiration(expiresAt).WithSigningVersion(SigningVersion.V4);
        if (options.Endpoint != GcsStoreOptions.DefaultEndpoint)
        {
            var endpoint = options.Endpoint;
            signing = signing.WithScheme(endpoint.Scheme).WithHost(endpoint.Host).WithPort(endpoint.IsDefaultPort ? null : endpoint.Port);
        }
        var bucket = UrlSigner.RequestTemplate.FromBucket(options.Bucket);
        return path => new Uri(signer.Sign(bucket.WithObjectName(keyOf(path)), signing));
    }

    private async Task<UrlSigner> CreateAsync(CancellationToken ct)
    {
        try
        {
            if (credential is not null)
                return UrlSigner.FromCredential(credential);
            return options.Credentials switch
            {
                GcsCredentials.None => throw new NotSupportedException(
                    $"gs://{options.Bucket} is reached without credentials (an emulator), and V4 signed URLs need a service account: " +
                    $"set {GcsAddress.CredentialsVariable} to its key file, or use application-default credentials of a service account"),
                GcsCredentials.KeyFile => UrlSigner.FromCredential(await CredentialFactory.FromFileAsync<ServiceAccountCredential>(options.KeyFile!, ct)),
                _ => UrlSigner.FromCredential(await GoogleCredential.GetApplicationDefaultAsync(ct)),
            };
        }
        catch (InvalidOperationException e)
        {
            // E.g. gcloud's user login as application-default credentials: a user cannot sign URLs.
            throw new NotSupportedException($"gs://{options.Bucket}: these credentials cannot sign URLs ({GcsErrors.Redact(e.Message)}); use a service account", e);
        }
    }
}
