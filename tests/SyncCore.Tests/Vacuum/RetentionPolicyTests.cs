using ReplicaSync.Vacuum;

namespace ReplicaSync.Tests.Vacuum;

public class RetentionPolicyTests
{
    private static Dictionary<string, string?> Config(string? value) =>
        value is null ? [] : new() { [RetentionPolicy.Property] = value };

    [Fact]
    public void Without_a_table_setting_or_request_the_retention_is_one_week()
    {
        var r = RetentionPolicy.Resolve(Config(null), null);
        Assert.Equal(TimeSpan.FromDays(7), r.Effective);
        Assert.Null(r.Warning);
    }

    [Fact]
    public void The_table_setting_is_used_when_nothing_is_requested()
    {
        var r = RetentionPolicy.Resolve(Config("interval 2 days"), null);
        Assert.Equal(TimeSpan.FromDays(2), r.Effective);
        Assert.Contains("interval 2 days", r.Source);
        Assert.Null(r.Warning);
    }

    [Fact]
    public void A_request_shorter_than_the_table_setting_is_allowed_with_a_warning()
    {
        var r = RetentionPolicy.Resolve(Config("interval 2 days"), TimeSpan.FromHours(1));
        Assert.Equal(TimeSpan.FromHours(1), r.Effective);
        Assert.Contains("48 h", r.Warning);
        Assert.Contains("1 h", r.Warning);
    }

    [Fact]
    public void A_request_shorter_than_the_default_warns_too_and_a_longer_one_does_not()
    {
        Assert.NotNull(RetentionPolicy.Resolve(Config(null), TimeSpan.FromHours(24)).Warning);
        Assert.Null(RetentionPolicy.Resolve(Config(null), TimeSpan.FromDays(7)).Warning);
        Assert.Null(RetentionPolicy.Resolve(Config("interval 1 day"), TimeSpan.FromDays(30)).Warning);
    }

    [Fact]
    public void A_malformed_table_setting_is_an_error_even_with_a_request()
    {
        var e = Assert.Throws<VacuumException>(() => RetentionPolicy.Resolve(Config("a week or so"), TimeSpan.FromDays(30)));
        Assert.Contains(RetentionPolicy.Property, e.Message);
    }
}
