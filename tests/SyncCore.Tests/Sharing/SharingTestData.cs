using System.Text.RegularExpressions;
using ReplicaSync.Sharing;

namespace ReplicaSync.Tests.Sharing;

/// <summary>Canned NDJSON lines and the secret-leak assertion shared by the sharing tests.</summary>
internal static class SharingTestData
{
    /// <summary>The signature part of every pre-signed URL below; it must never show up in an error.</summary>
    public const string Signature = "SIGSECRET0123456789";

    public const string DeltaCaps = "responseformat=delta;includeendstreamaction=true";
    public const string ParquetCaps = "responseformat=parquet;includeendstreamaction=true";

    public static readonly TableAddress Table = TableAddress.Parse("profile.share#sales.retail.orders");

    public static string Url(string name) => $"https://bucket.s3.amazonaws.com/t/{name}.parquet?X-Amz-Expires=3600&X-Amz-Signature={Signature}";

    public const string DeltaProtocol =
        """{"protocol":{"deltaProtocol":{"minReaderVersion":3,"minWriterVersion":7,"readerFeatures":["deletionVectors"],"writerFeatures":["deletionVectors","futureFeature"],"futureField":42}}}""";

    public const string DeltaMetadata =
        """{"metaData":{"deltaMetadata":{"id":"tbl-1","name":"orders","format":{"provider":"parquet","options":{}},"schemaString":"{\"type\":\"struct\",\"fields\":[]}","partitionColumns":["day"],"configuration":{"delta.enableDeletionVectors":"true"},"createdTime":1700000000000},"version":5,"size":1234,"numFiles":2}}""";

    public const string ParquetProtocol = """{"protocol":{"minReaderVersion":1}}""";

    public const string ParquetMetadata =
        """{"metaData":{"id":"tbl-1","format":{"provider":"parquet"},"schemaString":"{\"type\":\"struct\",\"fields\":[]}","partitionColumns":["day"],"version":5,"size":99}}""";

    public static string EndStream(string? nextPageToken = null, string? refreshToken = null) =>
        $$"""{"endStreamAction":{"refreshToken":{{Json(refreshToken)}},"nextPageToken":{{Json(nextPageToken)}},"minUrlExpirationTimestamp":1700003600000""" + "}}";

    /// <summary>Replaces each <c>URL(name)</c> in <paramref name="json"/> with that file's pre-signed URL.</summary>
    public static string Signed(string json) => Regex.Replace(json, @"URL\((\w+)\)", m => Url(m.Groups[1].Value));

    /// <summary>Asserts that nothing in the exception chain leaks the bearer token or a URL signature.</summary>
    public static void AssertNoSecrets(Exception e)
    {
        var text = e.ToString();
        Assert.DoesNotContain(ScriptedSharingServer.Token, text);
        Assert.DoesNotContain(Signature, text);
        Assert.DoesNotContain("X-Amz-Signature", text);
    }

    /// <summary>Awaits the failure, checks its type exactly, and checks it leaks no secret: every error test goes through here.</summary>
    public static async Task<T> AssertFailsAsync<T>(Func<Task> action) where T : Exception
    {
        var e = await Assert.ThrowsAsync<T>(action);
        AssertNoSecrets(e);
        return e;
    }

    /// <summary>Reads a whole query response.</summary>
    public static async Task<List<SharingLine>> ReadAllAsync(QueryResult result)
    {
        var lines = new List<SharingLine>();
        await foreach (var line in result.Lines)
            lines.Add(line);
        return lines;
    }

    /// <summary>Runs a query and reads it to the end, disposing the result.</summary>
    public static async Task<List<SharingLine>> QueryAllAsync(SharingClient client, QueryRequest? request = null, ResponseFormat format = ResponseFormat.Delta)
    {
        await using var result = await client.QueryAsync(Table, request ?? new QueryRequest(), format);
        return await ReadAllAsync(result);
    }

    private static string Json(string? value) => value is null ? "null" : $"\"{value}\"";
}
