using System.Net;
using System.Text.RegularExpressions;
using Amazon.Runtime;

namespace ReplicaSync.Storage.S3;

/// <summary>
/// Turns SDK failures into <see cref="S3StoreException"/>s that name the operation, bucket and key, and keeps
/// secrets out of them (invariant 6): the SDK exception is not attached, and known secrets plus signed-URL
/// query parameters are masked in the text that is kept.
/// </summary>
internal static partial class S3Errors
{
    private const string Mask = "***";

    public static S3StoreException Wrap(Exception error, string operation, string bucket, string key, IReadOnlyCollection<string> secrets)
    {
        var detail = error switch
        {
            AmazonServiceException s => $"{(int)s.StatusCode} {s.ErrorCode}: {s.Message}{Hint(s)} (request id {s.RequestId})",
            _ => error.Message,
        };
        return new S3StoreException($"S3 {operation} of s3://{bucket}/{key} failed: {Redact(detail, secrets)}",
            (error as AmazonServiceException)?.StatusCode, (error as AmazonServiceException)?.ErrorCode);
    }

    /// <summary>Masks every known secret and any signature, credential or session token query parameter.</summary>
    public static string Redact(string text, IEnumerable<string> secrets)
    {
        foreach (var secret in secrets)
        {
            if (secret.Length >= 4)
                text = text.Replace(secret, Mask, StringComparison.Ordinal);
        }
        return SignedParameter().Replace(text, m => m.Groups[1].Value + "=" + Mask);
    }

    private static string Hint(AmazonServiceException e) => e.ErrorCode switch
    {
        "NoSuchBucket" => " (the bucket does not exist)",
        "AccessDenied" or "AllAccessDisabled" => " (the credentials lack permission for this bucket or key)",
        "InvalidAccessKeyId" or "SignatureDoesNotMatch" or "ExpiredToken" or "InvalidToken" or "TokenRefreshRequired"
            => " (the credentials were rejected; check the access key, secret and session token)",
        _ when e.StatusCode == HttpStatusCode.Forbidden => " (access denied; check credentials and permissions)",
        _ => "",
    };

    [GeneratedRegex(@"(X-Amz-Security-Token|X-Amz-Signature|X-Amz-Credential|Signature|AWSAccessKeyId|x-amz-security-token)=[^&\s""']+", RegexOptions.IgnoreCase)]
    private static partial Regex SignedParameter();
}
