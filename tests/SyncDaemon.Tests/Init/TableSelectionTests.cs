using ReplicaSync.Daemon.Init;

namespace ReplicaSync.Daemon.Tests.Init;

/// <summary>Which tables init picks (<c>--tables</c> globs) and the config keys it gives them.</summary>
public sealed class TableSelectionTests
{
    [Theory]
    [InlineData("*", "sales.default.orders", true)]
    [InlineData("sales.*.*", "sales.default.orders", true)]
    [InlineData("sales.*.*", "ops.default.orders", false)]
    [InlineData("SALES.default.ord?rs", "sales.default.orders", true)]
    [InlineData("*.orders", "sales.default.orders", true)]
    [InlineData("ops.*, *.customers", "sales.default.customers", true)]
    [InlineData("sales.d(e)fault.*", "sales.default.orders", false)]
    [InlineData("sales.[a-z]*.*", "sales.default.orders", false)]
    public void Globs_match_the_qualified_name(string globs, string name, bool matches) =>
        Assert.Equal(matches, new TableGlob(globs).Matches(name));

    [Fact]
    public void An_empty_glob_list_is_refused() =>
        Assert.StartsWith("--tables:", Assert.Throws<ArgumentException>(() => new TableGlob(" , ")).Message);

    [Fact]
    public void Keys_are_valid_daemon_keys_and_unique()
    {
        var keys = new TableKeys();

        Assert.Equal("sales.default.orders", keys.Next("sales", "default", "orders"));
        Assert.Equal("s_les.d_f.t_b", keys.Next("s les", "d/f", "t#b"));
        Assert.Equal("s_les.d_f.t_b-2", keys.Next("s?les", "d:f", "t b"));
        var longKey = keys.Next(new string('a', 90), "schema", "table");
        Assert.Equal(100, longKey.Length);
        Assert.Equal(100, keys.Next(new string('a', 90), "schema", "table").Length);
    }
}
