using System.Globalization;

namespace ReplicaSync.Vacuum;

/// <summary>
/// Parses Delta interval table properties such as <c>interval 7 days</c>, <c>interval 1 week</c> or
/// <c>interval 1 day 12 hours</c>, as Spark's <c>DeltaConfigs</c> accepts them: the <c>interval</c> keyword is
/// optional, units are case-insensitive and singular or plural. Months and years are refused, as Spark refuses
/// them for durations: they have no fixed length.
/// </summary>
public static class DeltaInterval
{
    private static readonly Dictionary<string, TimeSpan> Units = new(StringComparer.OrdinalIgnoreCase)
    {
        ["microsecond"] = TimeSpan.FromMicroseconds(1),
        ["millisecond"] = TimeSpan.FromMilliseconds(1),
        ["second"] = TimeSpan.FromSeconds(1),
        ["minute"] = TimeSpan.FromMinutes(1),
        ["hour"] = TimeSpan.FromHours(1),
        ["day"] = TimeSpan.FromDays(1),
        ["week"] = TimeSpan.FromDays(7),
    };

    /// <summary>The duration of <paramref name="value"/>; a <see cref="VacuumException"/> naming <paramref name="property"/> when it is malformed.</summary>
    public static TimeSpan Parse(string property, string value)
    {
        var tokens = value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var start = tokens.Length > 0 && tokens[0].Equals("interval", StringComparison.OrdinalIgnoreCase) ? 1 : 0;
        if (tokens.Length == start || (tokens.Length - start) % 2 != 0)
            throw Malformed(property, value, "expected pairs of a whole number and a unit");
        long ticks = 0;
        for (var i = start; i < tokens.Length; i += 2)
        {
            if (!long.TryParse(tokens[i], NumberStyles.None, CultureInfo.InvariantCulture, out var count))
                throw Malformed(property, value, $"'{tokens[i]}' is not a whole number of zero or more");
            var unit = tokens[i + 1];
            if (!Units.TryGetValue(unit.EndsWith('s') ? unit[..^1] : unit, out var size))
                throw Malformed(property, value, $"'{unit}' is not a unit of fixed length (weeks, days, hours, minutes, seconds, milliseconds, microseconds)");
            try
            {
                ticks = checked(ticks + size.Ticks * count);
            }
            catch (OverflowException)
            {
                throw Malformed(property, value, "the duration is too long");
            }
        }
        return TimeSpan.FromTicks(ticks);
    }

    private static VacuumException Malformed(string property, string value, string why) =>
        new($"table property {property} has a malformed value '{value}': {why}; write it like 'interval 7 days'");
}
