using ReplicaSync.Sharing;

namespace ReplicaSync.Tests.Sharing;

public sealed class TableAddressTests
{
    [Fact]
    public void Parse_SplitsProfileAndNames()
    {
        var address = TableAddress.Parse("/etc/replica/acme.share#sales.retail.orders");

        Assert.Equal(new TableAddress("/etc/replica/acme.share", "sales", "retail", "orders"), address);
        Assert.Equal("sales.retail.orders", address.QualifiedName);
        Assert.Equal("/etc/replica/acme.share#sales.retail.orders", address.ToString());
    }

    [Fact]
    public void Parse_SplitsAtTheLastHash_SoProfilePathsMayContainOne()
    {
        var address = TableAddress.Parse("/data/team#2/acme.share#s.sc.t");

        Assert.Equal("/data/team#2/acme.share", address.ProfilePath);
        Assert.Equal("s.sc.t", address.QualifiedName);
    }

    [Theory]
    [InlineData("acme.share")]
    [InlineData("#s.sc.t")]
    [InlineData("p#s.sc")]
    [InlineData("p#s.sc.t.extra")]
    [InlineData("p#s..t")]
    [InlineData("p#.sc.t")]
    [InlineData("p#s.sc.")]
    [InlineData("p#")]
    [InlineData("p#s.sc.t#")]
    public void Parse_RejectsBadForms_WithAClearMessage(string text)
    {
        var e = Assert.Throws<FormatException>(() => TableAddress.Parse(text));

        Assert.Contains($"'{text}'", e.Message);
    }
}
