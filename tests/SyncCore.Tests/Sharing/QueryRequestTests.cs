using System.Text;
using ReplicaSync.Sharing;

namespace ReplicaSync.Tests.Sharing;

public sealed class QueryRequestTests
{
    private static string Json(QueryRequest request) => Encoding.UTF8.GetString(request.ToJsonUtf8());

    [Fact]
    public void EmptyRequest_IsAnEmptyObject() => Assert.Equal("{}", Json(new QueryRequest()));

    [Fact]
    public void FalseAndNull_AreOmitted() =>
        Assert.Equal("{}", Json(new QueryRequest { IncludeHistoricalProtocol = false, IncludeRefreshToken = false }));

    [Fact]
    public void EveryField_IsCamelCase()
    {
        var request = new QueryRequest
        {
            Version = 1,
            Timestamp = new DateTimeOffset(2024, 1, 2, 5, 4, 5, TimeSpan.FromHours(2)),
            StartingVersion = 3,
            EndingVersion = 4,
            IncludeHistoricalProtocol = true,
            MaxFiles = 100,
            PageToken = "p",
            IncludeRefreshToken = true,
            RefreshToken = "r",
        };

        Assert.Equal(
            """{"version":1,"timestamp":"2024-01-02T03:04:05Z","startingVersion":3,"endingVersion":4,"includeHistoricalProtocol":true,"maxFiles":100,"pageToken":"p","includeRefreshToken":true,"refreshToken":"r"}""",
            Json(request));
    }

    [Fact]
    public void Timestamp_KeepsItsFraction() =>
        Assert.Equal("""{"timestamp":"2024-01-02T03:04:05.25Z"}""",
            Json(new QueryRequest { Timestamp = new DateTimeOffset(2024, 1, 2, 3, 4, 5, 250, TimeSpan.Zero) }));
}
