using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ReplicaSync.Storage;
using ReplicaSync.Storage.Gcs;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Tests.Storage;

/// <summary>
/// V4 signed URLs from the GCS store. The Firebase Storage emulator does not check URL signatures, so a GET against
/// it would prove nothing: instead the signature is verified here, independently, with the service account's public
/// key over the canonical request GCS itself rebuilds (GOOG4-RSA-SHA256).
/// </summary>
public sealed class GcsSignedUrlTests
{
    [Fact]
    public async Task A_v4_url_carries_a_valid_rsa_signature_by_the_service_account_over_the_get_of_that_object()
    {
        await using var oauth = await FakeGoogleTokenServer.StartAsync();
        using var keys = new TempDirectory("gcs-sign");
        var (keyFile, pem) = oauth.WriteKeyFile(keys.Path);
        using var store = new GcsObjectStore(new GcsStoreOptions
        {
            Bucket = "bucket-1", Prefix = "tables/t1", Credentials = GcsCredentials.KeyFile, KeyFile = keyFile,
        });
        var sign = await ((IPresignedReads)store).ReadUrlSignerAsync(DateTimeOffset.UtcNow.AddMinutes(10), default);

        var url = sign("x=a b/part-0.parquet");

        Assert.Equal("storage.googleapis.com", url.Host);
        Assert.Equal("/bucket-1/tables/t1/x%3Da%20b/part-0.parquet", url.AbsolutePath.Replace("=", "%3D", StringComparison.Ordinal));
        var query = url.OriginalString[(url.OriginalString.IndexOf('?') + 1)..].Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));
        Assert.Equal("GOOG4-RSA-SHA256", query["X-Goog-Algorithm"]);
        Assert.StartsWith("replicasync-test@demo-test.iam.gserviceaccount.com/", query["X-Goog-Credential"]);
        Assert.InRange(int.Parse(query["X-Goog-Expires"], CultureInfo.InvariantCulture), 590, 600);
        Assert.Equal("host", query["X-Goog-SignedHeaders"]);
        Assert.Equal(0, oauth.Grants);

        using var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        Assert.True(rsa.VerifyData(StringToSign(url, query), Convert.FromHexString(query["X-Goog-Signature"]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        var tampered = new Uri(url.OriginalString.Replace("part-0", "part-1", StringComparison.Ordinal));
        Assert.False(rsa.VerifyData(StringToSign(tampered, query), Convert.FromHexString(query["X-Goog-Signature"]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    [Fact]
    public async Task Without_credentials_an_emulator_store_cannot_sign_and_says_what_it_needs()
    {
        using var store = new GcsObjectStore(new GcsStoreOptions
        {
            Bucket = "bucket-1", Endpoint = new Uri("http://127.0.0.1:9/"), Credentials = GcsCredentials.None,
        });
        var e = await Assert.ThrowsAsync<NotSupportedException>(() => store.ReadUrlSignerAsync(DateTimeOffset.UtcNow.AddMinutes(10), default));
        Assert.Contains("service account", e.Message);
        Assert.Contains(GcsAddress.CredentialsVariable, e.Message);
    }

    /// <summary>GCS's V4 string to sign: algorithm, time, scope, and the hash of the canonical GET request.</summary>
    private static byte[] StringToSign(Uri url, Dictionary<string, string> query)
    {
        var canonicalQuery = string.Join('&', query.Where(p => p.Key != "X-Goog-Signature").OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
        var path = url.OriginalString[(url.OriginalString.IndexOf(url.Host, StringComparison.Ordinal) + url.Host.Length)..url.OriginalString.IndexOf('?')];
        var canonicalRequest = string.Join('\n', "GET", path, canonicalQuery, $"host:{url.Host}", "", "host", "UNSIGNED-PAYLOAD");
        var scope = query["X-Goog-Credential"][(query["X-Goog-Credential"].IndexOf('/') + 1)..];
        var text = string.Join('\n', "GOOG4-RSA-SHA256", query["X-Goog-Date"], scope,
            Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest))));
        return Encoding.UTF8.GetBytes(text);
    }
}
