using System.Globalization;

namespace ReplicaSync.Sync;

/// <summary>Where a new replica starts: full history from version 0, a snapshot at the latest or a chosen version, or automatic.</summary>
public sealed record StartPoint(StartKind Kind, long Version = 0)
{
    public static readonly StartPoint Auto = new(StartKind.Auto);
    public static readonly StartPoint FullHistory = new(StartKind.FullHistory);
    public static readonly StartPoint Latest = new(StartKind.Latest);

    /// <summary>Parses <c>latest</c> (the CLI's and daemon's default), <c>0</c> (full history), <c>auto</c> or a version number.</summary>
    public static StartPoint Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "latest" => Latest,
        "auto" => Auto,
        "0" => FullHistory,
        var s when long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v) => new StartPoint(StartKind.Version, v),
        _ => throw new FormatException($"--from must be 'latest', '0', 'auto' or a version number, not '{text}'"),
    };
}

/// <summary>How a new replica begins.</summary>
public enum StartKind
{
    /// <summary>Full history when the provider shares it from version 0, else a snapshot at the latest version.</summary>
    Auto,
    FullHistory,
    Latest,
    Version,
}
