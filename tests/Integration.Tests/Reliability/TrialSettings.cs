using System.Globalization;
using Xunit.Abstractions;

namespace ReplicaSync.Integration.Tests.Reliability;

/// <summary>
/// Sizes of the reliability trials: CI-sized by default, larger through REPLICASYNC_TRIAL_* variables (the scripts set
/// them); lines go to the test output and, with REPLICASYNC_TRIAL_LOG set, to that file as they happen.
/// </summary>
internal static class TrialSettings
{
    public static int Int(string name, int fallback) =>
        Environment.GetEnvironmentVariable("REPLICASYNC_TRIAL_" + name) is { Length: > 0 } value
            ? int.Parse(value, CultureInfo.InvariantCulture)
            : fallback;

    public static Action<string> Log(ITestOutputHelper output)
    {
        var file = Environment.GetEnvironmentVariable("REPLICASYNC_TRIAL_LOG");
        return line =>
        {
            output.WriteLine(line);
            if (!string.IsNullOrEmpty(file))
                File.AppendAllText(file, $"{DateTime.UtcNow:HH:mm:ss} {line}\n");
        };
    }
}
