using ReplicaSync.Storage;
using ReplicaSync.Storage.S3;

namespace ReplicaSync.Tests.Storage;

public class S3AddressTests
{
    [Fact]
    public void An_address_with_an_endpoint_uses_it_path_style_by_default()
    {
        var env = new Dictionary<string, string> { [S3Address.EndpointVariable] = "http://127.0.0.1:9000", ["AWS_REGION"] = "eu-west-1" };
        var options = S3Address.Parse("s3://bucket/tables/sales/", env.GetValueOrDefault);
        Assert.Equal(("bucket", "tables/sales", "http://127.0.0.1:9000", true, "eu-west-1"),
            (options.Bucket, options.Prefix, options.ServiceUrl, options.ForcePathStyle, options.Region));
    }

    [Fact]
    public void Without_an_endpoint_it_is_aws_itself_with_virtual_host_urls_unless_asked()
    {
        var plain = S3Address.Parse("s3://bucket", _ => null);
        Assert.Equal(("bucket", "", null, false, null), (plain.Bucket, plain.Prefix, plain.ServiceUrl, plain.ForcePathStyle, plain.Region));
        var env = new Dictionary<string, string> { [S3Address.PathStyleVariable] = "true" };
        Assert.True(S3Address.Parse("s3://bucket/p", env.GetValueOrDefault).ForcePathStyle);
    }

    [Theory]
    [InlineData("s3:///prefix")]
    [InlineData("s3://")]
    [InlineData("gs://bucket")]
    public void Malformed_addresses_are_rejected(string address) =>
        Assert.Throws<ArgumentException>(() => S3Address.Parse(address, _ => null));

    [Fact]
    public void A_bad_path_style_setting_is_rejected()
    {
        var env = new Dictionary<string, string> { [S3Address.PathStyleVariable] = "yes" };
        Assert.Contains(S3Address.PathStyleVariable, Assert.Throws<ArgumentException>(() => S3Address.Parse("s3://b", env.GetValueOrDefault)).Message);
    }

    [Fact]
    public void ObjectStores_routes_s3_addresses_to_the_s3_store()
    {
        Assert.Contains("no bucket", Assert.Throws<ArgumentException>(() => ObjectStores.Open("s3:///prefix")).Message);
        var env = new Dictionary<string, string> { ["AWS_REGION"] = "eu-west-1" };
        using var store = new S3ObjectStore(S3Address.Parse("s3://bucket/some/prefix", env.GetValueOrDefault));
        Assert.Equal("s3://bucket/some/prefix", store.Location);
    }
}
