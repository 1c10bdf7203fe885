using ReplicaSync.Storage.Gcs;

namespace ReplicaSync.Tests.Storage;

/// <summary>Parsing <c>gs://</c> addresses and the GCS environment variables.</summary>
public sealed class GcsAddressTests
{
    [Fact]
    public void Bucket_and_prefix_come_from_the_address_and_google_is_the_default_endpoint()
    {
        var options = GcsAddress.Parse("gs://my-bucket/replicas/sales/", _ => null);
        Assert.Equal(("my-bucket", "replicas/sales"), (options.Bucket, options.Prefix));
        Assert.Equal(new Uri("https://storage.googleapis.com/"), options.Endpoint);
        Assert.Equal(GcsCredentials.ApplicationDefault, options.Credentials);
        Assert.Equal("", GcsAddress.Parse("gs://my-bucket", _ => null).Prefix);
    }

    [Fact]
    public void The_emulator_host_variable_means_that_endpoint_and_no_credentials()
    {
        var options = GcsAddress.Parse("gs://b-1/p", Env(("STORAGE_EMULATOR_HOST", "127.0.0.1:9199")));
        Assert.Equal(new Uri("http://127.0.0.1:9199/"), options.Endpoint);
        Assert.Equal(GcsCredentials.None, options.Credentials);
    }

    [Fact]
    public void Our_endpoint_variable_wins_and_credentials_name_a_key_file_or_none()
    {
        var keyed = GcsAddress.Parse("gs://b-1/p", Env(("REPLICASYNC_GCS_ENDPOINT", "https://gcs.internal:8443/"),
            ("STORAGE_EMULATOR_HOST", "ignored:1"), ("REPLICASYNC_GCS_CREDENTIALS", "keys/sa.json")));
        Assert.Equal(new Uri("https://gcs.internal:8443/"), keyed.Endpoint);
        Assert.Equal((GcsCredentials.KeyFile, "keys/sa.json"), (keyed.Credentials, keyed.KeyFile));
        var none = GcsAddress.Parse("gs://b-1", Env(("REPLICASYNC_GCS_CREDENTIALS", "none")));
        Assert.Equal((GcsCredentials.None, (string?)null), (none.Credentials, none.KeyFile));
    }

    [Theory]
    [InlineData("gs://", "no bucket name")]
    [InlineData("gs:///prefix", "no bucket name")]
    [InlineData("gs://Upper/x", "'Upper' is not a valid GCS bucket name")]
    [InlineData("gs://ab/x", "'ab' is not a valid GCS bucket name")]
    [InlineData("gs://-bucket/x", "'-bucket' is not a valid GCS bucket name")]
    [InlineData("gs://bucket/a/../b", "the prefix is not a valid key")]
    [InlineData("gs://bucket//a", "the prefix is not a valid key")]
    [InlineData("s3://bucket/a", "is not a gs:// address")]
    public void Malformed_addresses_fail_with_a_clear_reason(string address, string reason)
    {
        var e = Assert.Throws<ArgumentException>(() => GcsAddress.Parse(address, _ => null));
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void A_malformed_endpoint_names_the_variables()
    {
        var e = Assert.Throws<ArgumentException>(() => GcsAddress.Parse("gs://bucket", Env(("REPLICASYNC_GCS_ENDPOINT", "ftp://x"))));
        Assert.Contains("REPLICASYNC_GCS_ENDPOINT", e.Message);
    }

    private static Func<string, string?> Env(params (string Name, string Value)[] values) =>
        name => values.FirstOrDefault(v => v.Name == name).Value;
}
