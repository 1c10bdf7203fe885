using ReplicaSync.Sharing;

namespace ReplicaSync.Tests.Sharing;

public sealed class SharingProfileTests
{
    private const string Token = ScriptedSharingServer.Token;
    private const string Source = "acme.share";

    [Fact]
    public void Version1_IsParsed_AndTrailingSlashIsStripped()
    {
        var profile = SharingProfile.Parse(
            $$"""{"shareCredentialsVersion":1,"endpoint":"https://sharing.example.com/delta-sharing/","bearerToken":"{{Token}}","expirationTime":"2999-01-02T03:04:05.0Z"}""",
            Source);

        Assert.Equal(1, profile.ShareCredentialsVersion);
        Assert.Equal("https://sharing.example.com/delta-sharing", profile.Endpoint.AbsoluteUri);
        Assert.Equal(Token, profile.BearerToken);
        Assert.Equal(new DateTimeOffset(2999, 1, 2, 3, 4, 5, TimeSpan.Zero), profile.ExpirationTime);
    }

    [Theory]
    [InlineData(""","type":"bearer_token" """)]
    [InlineData("")]
    public void Version2_BearerToken_IsParsed_WithOrWithoutType(string typeField)
    {
        var profile = SharingProfile.Parse(
            $$"""{"shareCredentialsVersion":2{{typeField}},"endpoint":"https://h/p","bearerToken":"{{Token}}"}""", Source);

        Assert.Equal(2, profile.ShareCredentialsVersion);
        Assert.Equal(Token, profile.BearerToken);
        Assert.Null(profile.ExpirationTime);
    }

    [Theory]
    [InlineData("""{"shareCredentialsVersion":3,"endpoint":"https://h","bearerToken":"TOKEN"}""", "shareCredentialsVersion", "upgrade")]
    [InlineData("""{"endpoint":"https://h","bearerToken":"TOKEN"}""", "shareCredentialsVersion", "missing")]
    [InlineData("""{"shareCredentialsVersion":"1","endpoint":"https://h","bearerToken":"TOKEN"}""", "shareCredentialsVersion", "integer")]
    [InlineData("""{"shareCredentialsVersion":2,"type":"basic","endpoint":"https://h","bearerToken":"TOKEN"}""", "type", "not supported yet")]
    [InlineData("""{"shareCredentialsVersion":2,"type":"oauth_client_credentials","endpoint":"https://h","tokenEndpoint":"https://h/token","clientId":"c"}""", "clientSecret", "missing")]
    [InlineData("""{"shareCredentialsVersion":2,"type":"oauth_client_credentials","endpoint":"https://h","tokenEndpoint":"https://h/token","clientSecret":"TOKEN"}""", "clientId", "missing")]
    [InlineData("""{"shareCredentialsVersion":2,"type":"oauth_client_credentials","endpoint":"https://h","clientId":"c","clientSecret":"TOKEN"}""", "tokenEndpoint", "missing")]
    [InlineData("""{"shareCredentialsVersion":2,"type":"oauth_client_credentials","endpoint":"https://h","tokenEndpoint":"token","clientId":"c","clientSecret":"TOKEN"}""", "tokenEndpoint", "absolute")]
    [InlineData("""{"shareCredentialsVersion":2,"type":"oauth_client_credentials","endpoint":"https://h","tokenEndpoint":"https://h/t","clientId":"c","clientSecret":"TOKEN","scope":7}""", "scope", "must be a string")]
    [InlineData("""{"shareCredentialsVersion":1,"type":"oauth_client_credentials","endpoint":"https://h","tokenEndpoint":"https://h/t","clientId":"c","clientSecret":"TOKEN"}""", "shareCredentialsVersion", "needs version 2")]
    [InlineData("""{"shareCredentialsVersion":2,"type":"magic","endpoint":"https://h","bearerToken":"TOKEN"}""", "type", "unknown")]
    [InlineData("""{"shareCredentialsVersion":1,"bearerToken":"TOKEN"}""", "endpoint", "missing")]
    [InlineData("""{"shareCredentialsVersion":1,"endpoint":42,"bearerToken":"TOKEN"}""", "endpoint", "must be a string")]
    [InlineData("""{"shareCredentialsVersion":1,"endpoint":"not a url","bearerToken":"TOKEN"}""", "endpoint", "absolute")]
    [InlineData("""{"shareCredentialsVersion":1,"endpoint":"ftp://h/x","bearerToken":"TOKEN"}""", "endpoint", "absolute")]
    [InlineData("""{"shareCredentialsVersion":1,"endpoint":"https://h/x?a=b","bearerToken":"TOKEN"}""", "endpoint", "query")]
    [InlineData("""{"shareCredentialsVersion":1,"endpoint":"https://h"}""", "bearerToken", "missing")]
    [InlineData("""{"shareCredentialsVersion":1,"endpoint":"https://h","bearerToken":17}""", "bearerToken", "must be a string")]
    [InlineData("""{"shareCredentialsVersion":1,"endpoint":"https://h","bearerToken":"TOKEN","expirationTime":"2001-01-01T00:00:00Z"}""", "expirationTime", "expired")]
    [InlineData("""{"shareCredentialsVersion":1,"endpoint":"https://h","bearerToken":"TOKEN","expirationTime":"next tuesday"}""", "expirationTime", "ISO-8601")]
    public void InvalidProfile_NamesFieldAndFile_ButNotTheToken(string json, string field, string hint)
    {
        var e = Assert.Throws<SharingProfileException>(() => SharingProfile.Parse(json.Replace("TOKEN", Token), Source));

        Assert.Equal(field, e.Field);
        Assert.Contains(Source, e.Message);
        Assert.Contains($"'{field}'", e.Message);
        Assert.Contains(hint, e.Message);
        SharingTestData.AssertNoSecrets(e);
    }

    [Theory]
    [InlineData($$"""{"shareCredentialsVersion":1,"bearerToken":"{{Token}}" "endpoint":"https://h"}""")]
    [InlineData($$"""{"shareCredentialsVersion":1,"bearerToken":"{{Token}}""")]
    [InlineData($$"""{"bearerToken":{{Token}} }""")]
    [InlineData("[]")]
    public void MalformedJson_NamesTheFile_ButNotTheToken(string json)
    {
        var e = Assert.Throws<SharingProfileException>(() => SharingProfile.Parse(json, Source));

        Assert.Null(e.Field);
        Assert.StartsWith(Source + ":", e.Message);
        SharingTestData.AssertNoSecrets(e);
    }

    [Fact]
    public void OAuthClientCredentials_AreParsed_AndToStringMasksTheSecret()
    {
        var profile = SharingProfile.Parse(
            $$"""{"shareCredentialsVersion":2,"type":"oauth_client_credentials","endpoint":"https://h/p/","tokenEndpoint":"https://login.example.com/oauth2/token","clientId":"partner-7","clientSecret":"{{Token}}","scope":"sharing"}""",
            Source);

        Assert.Null(profile.BearerToken);
        Assert.Equal("https://h/p", profile.Endpoint.AbsoluteUri);
        Assert.Equal(new OAuthClientCredentials(new Uri("https://login.example.com/oauth2/token"), "partner-7", Token, "sharing"), profile.OAuth);
        Assert.DoesNotContain(Token, profile.ToString());
        Assert.Contains("partner-7", profile.ToString());
    }

    [Fact]
    public void ToString_MasksTheToken()
    {
        var profile = new SharingProfile(1, new Uri("https://h/p"), Token, null);

        var text = profile.ToString();

        Assert.DoesNotContain(Token, text);
        Assert.Contains("https://h/p", text);
        Assert.Contains("***", text);
    }

    [Fact]
    public void Load_ReadsTheFile_AndNamesItInErrors()
    {
        var dir = Directory.CreateTempSubdirectory("profile-test");
        try
        {
            var good = Path.Combine(dir.FullName, "good.share");
            File.WriteAllText(good, $$"""{"shareCredentialsVersion":1,"endpoint":"https://h/p/","bearerToken":"{{Token}}"}""");
            var bad = Path.Combine(dir.FullName, "bad.share");
            File.WriteAllText(bad, """{"shareCredentialsVersion":1,"endpoint":"https://h/p/"}""");

            Assert.Equal("https://h/p", SharingProfile.Load(good).Endpoint.AbsoluteUri);
            var e = Assert.Throws<SharingProfileException>(() => SharingProfile.Load(bad));
            Assert.Contains(bad, e.Message);
            Assert.Equal("bearerToken", e.Field);
            var missing = Assert.Throws<SharingProfileException>(() => SharingProfile.Load(Path.Combine(dir.FullName, "nope.share")));
            Assert.Contains("nope.share", missing.Message);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
