using ReplicaSync.Daemon.Init;

namespace ReplicaSync.Daemon.Tests.Init;

/// <summary>Where init puts each replica: under the root, one segment per provider name, never outside.</summary>
public sealed class TargetLayoutTests
{
    [Theory]
    [InlineData("..", "%2E%2E")]
    [InlineData(".", "%2E")]
    [InlineData("a/../b", "a%2F..%2Fb")]
    [InlineData(@"..\..\etc", "..%5C..%5Cetc")]
    [InlineData("c:x", "c%3Ax")]
    [InlineData("sales.eu", "sales.eu")]
    [InlineData("100%", "100%25")]
    public void A_provider_name_becomes_one_harmless_segment(string name, string segment) =>
        Assert.Equal(segment, TargetLayout.Segment(name));

    [Fact]
    public void A_local_root_is_relative_to_the_config_folder_and_no_name_climbs_out_of_it()
    {
        var configDir = Path.Combine(Path.GetTempPath(), "cfg");
        var layout = new TargetLayout(Path.Combine(Path.GetTempPath(), "replicas"), configDir);

        var target = layout.For("..", "..", "etc");

        Assert.Equal(Path.Combine("..", "replicas", "%2E%2E", "%2E%2E", "etc"), target);
        var resolved = Path.GetFullPath(target, configDir);
        Assert.StartsWith(Path.Combine(Path.GetTempPath(), "replicas") + Path.DirectorySeparatorChar, resolved);
    }

    [Theory]
    [InlineData("s3://bucket/root/", "s3://bucket/root/sales/default/orders")]
    [InlineData("gs://bucket", "gs://bucket/sales/default/orders")]
    [InlineData("az://container/x", "az://container/x/sales/default/orders")]
    public void URL_roots_are_joined_with_slashes(string root, string expected) =>
        Assert.Equal(expected, new TargetLayout(root, "/unused").For("sales", "default", "orders"));

    [Theory]
    [InlineData("ftp://host/x", "scheme 'ftp://'")]
    [InlineData("s3://bucket/x?sig=1", "query string")]
    [InlineData(" ", "give a directory")]
    public void A_bad_root_is_refused_naming_the_option(string root, string hint)
    {
        var e = Assert.Throws<ArgumentException>(() => new TargetLayout(root, "/unused"));

        Assert.StartsWith("--target-root:", e.Message);
        Assert.Contains(hint, e.Message);
    }
}
