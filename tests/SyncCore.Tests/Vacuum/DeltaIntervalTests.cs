using ReplicaSync.Vacuum;

namespace ReplicaSync.Tests.Vacuum;

public class DeltaIntervalTests
{
    public static TheoryData<string, TimeSpan> Valid => new()
    {
        { "interval 7 days", TimeSpan.FromDays(7) },
        { "interval 1 week", TimeSpan.FromDays(7) },
        { "interval 168 hours", TimeSpan.FromHours(168) },
        { "interval 30 minutes", TimeSpan.FromMinutes(30) },
        { "INTERVAL 2 Weeks", TimeSpan.FromDays(14) },
        { "interval 1 day 12 hours", TimeSpan.FromHours(36) },
        { "7 days", TimeSpan.FromDays(7) },
        { "  interval   2   hours ", TimeSpan.FromHours(2) },
        { "interval 90 seconds", TimeSpan.FromSeconds(90) },
        { "interval 0 days", TimeSpan.Zero },
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void Delta_interval_strings_parse_to_their_duration(string text, TimeSpan expected) =>
        Assert.Equal(expected, DeltaInterval.Parse("p", text));

    [Theory]
    [InlineData("")]
    [InlineData("interval")]
    [InlineData("interval 7")]
    [InlineData("interval seven days")]
    [InlineData("interval -1 days")]
    [InlineData("interval 1.5 days")]
    [InlineData("interval 1 month")]
    [InlineData("interval 2 years")]
    [InlineData("interval 1 fortnight")]
    [InlineData("interval 99999999999999999 weeks")]
    [InlineData("1 week interval")]
    public void A_malformed_value_is_an_error_naming_the_property_and_the_value(string text)
    {
        var e = Assert.Throws<VacuumException>(() => DeltaInterval.Parse("delta.deletedFileRetentionDuration", text));
        Assert.Contains("delta.deletedFileRetentionDuration", e.Message);
        Assert.Contains($"'{text}'", e.Message);
    }
}
