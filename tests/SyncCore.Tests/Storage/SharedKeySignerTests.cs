using System.Security.Cryptography;
using System.Text;
using ReplicaSync.Storage.Azure;
using ReplicaSync.TestSupport;

namespace ReplicaSync.Tests.Storage;

/// <summary>
/// The SharedKey string-to-sign rules (../shared/reference/emulators.md section 1) on known requests. Azurite checks
/// real signatures in the contract suite; these pin the exact text so a rule change shows up here first.
/// </summary>
public sealed class SharedKeySignerTests
{
    private const string Date = "Sun, 22 Nov 2026 03:02:09 GMT";

    [Fact]
    public void A_conditional_block_put_signs_verb_standard_headers_sorted_x_ms_headers_and_the_path_style_resource()
    {
        var uri = new Uri("http://127.0.0.1:10000/devstoreaccount1/cont/dir/a%20b.bin?comp=block&blockid=QUJD%3D%3D");
        var headers = new Dictionary<string, string>
        {
            ["x-ms-version"] = "2024-11-04", ["X-MS-Date"] = Date, ["x-ms-blob-type"] = "BlockBlob",
            ["If-None-Match"] = "*", ["Content-Type"] = "application/octet-stream", ["Content-Length"] = "11",
        };

        var text = SharedKeySigner.StringToSign("PUT", uri, "devstoreaccount1", headers, 11);

        // Verb; Content-Encoding, -Language, -Length, -MD5, -Type; Date (empty: x-ms-date is sent); If-Modified-Since,
        // If-Match, If-None-Match, If-Unmodified-Since, Range; sorted lower-cased x-ms-*; /account + path (the account
        // twice path-style); sorted query parameters with decoded values.
        Assert.Equal(
            "PUT\n\n\n11\n\napplication/octet-stream\n\n\n\n*\n\n\n" +
            "x-ms-blob-type:BlockBlob\nx-ms-date:" + Date + "\nx-ms-version:2024-11-04\n" +
            "/devstoreaccount1/devstoreaccount1/cont/dir/a%20b.bin\nblockid:QUJD==\ncomp:block",
            text);
        Assert.Equal(
            Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(AzuriteServer.AccountKey), Encoding.UTF8.GetBytes(text))),
            SharedKeySigner.Sign(text, Convert.FromBase64String(AzuriteServer.AccountKey)));
    }

    [Fact]
    public void A_listing_has_an_empty_length_and_lower_cased_sorted_query_names_with_empty_values_kept()
    {
        var uri = new Uri("https://acct.blob.core.windows.net/c1c?restype=container&COMP=list&prefix=t%2Fa%20b%2F&marker=&maxresults=1000");
        var text = SharedKeySigner.StringToSign("GET", uri, "acct", [new("x-ms-date", Date), new("x-ms-version", "2024-11-04")], 0);
        Assert.Equal(
            "GET\n\n\n\n\n\n\n\n\n\n\n\nx-ms-date:" + Date + "\nx-ms-version:2024-11-04\n" +
            "/acct/c1c\ncomp:list\nmarker:\nmaxresults:1000\nprefix:t/a b/\nrestype:container",
            text);
    }

    [Fact]
    public void A_ranged_get_signs_x_ms_range_among_the_x_ms_headers_and_repeated_parameters_join_sorted()
    {
        var uri = new Uri("https://acct.blob.core.windows.net/c1c/k?b=2&a=1&b=1");
        var text = SharedKeySigner.StringToSign("GET", uri, "acct",
            [new("x-ms-range", " bytes=0-99 "), new("x-ms-date", Date), new("x-ms-version", "2024-11-04")], null);
        Assert.EndsWith("x-ms-date:" + Date + "\nx-ms-range:bytes=0-99\nx-ms-version:2024-11-04\n/acct/c1c/k\na:1\nb:1,2", text);
    }

    [Fact]
    public void The_authorization_header_of_a_request_matches_an_independent_signer()
    {
        using var rest = new AzureRest("http://127.0.0.1:1/devstoreaccount1", AzuriteServer.Account, AzuriteServer.AccountKey);
        var request = new HttpRequestMessage(HttpMethod.Put, "http://127.0.0.1:1/devstoreaccount1/cont/a%3Db/x.json?comp=blocklist")
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes("<BlockList/>")),
        };
        request.Headers.TryAddWithoutValidation("x-ms-date", Date);
        request.Headers.TryAddWithoutValidation("x-ms-version", "2024-11-04");
        request.Headers.TryAddWithoutValidation("If-None-Match", "*");
        var header = SharedKeySigner.Authorization(request, AzuriteServer.Account, Convert.FromBase64String(AzuriteServer.AccountKey));
        Assert.Equal($"SharedKey {AzuriteServer.Account}:{rest.Signature(request)}", header);
    }
}
