using ReplicaSync.Sharing;

namespace ReplicaSync.Tests.Sharing;

public sealed class UrlRedactorTests
{
    [Theory]
    [InlineData("https://b.s3.amazonaws.com/t/f.parquet?X-Amz-Signature=abc&X-Amz-Expires=1", "https://b.s3.amazonaws.com/t/f.parquet")]
    [InlineData("https://user:pw@host/p?sig=1#frag", "https://host/p")]
    [InlineData("s3://bucket/key", "s3://bucket/key")]
    [InlineData("relative/path?sig=1", "relative/path")]
    public void Redact_DropsQueryAndUserInfo(string url, string expected) => Assert.Equal(expected, UrlRedactor.Redact(url));

    [Fact]
    public void Redact_Uri_DropsQueryAndUserInfo() =>
        Assert.Equal("https://host:8443/a/b", UrlRedactor.Redact(new Uri("https://u:p@host:8443/a/b?sv=2020&sig=xyz")));

    [Fact]
    public void RedactText_RedactsEveryUrlAndBareQuery()
    {
        var text = UrlRedactor.RedactText("cannot read https://h/a.parquet?sig=S1 nor 'abfss://c@acct/b?sv=1&sig=S2', params ?token=S3");

        Assert.DoesNotContain("S1", text);
        Assert.DoesNotContain("S2", text);
        Assert.DoesNotContain("S3", text);
        Assert.Contains("https://h/a.parquet", text);
    }
}
