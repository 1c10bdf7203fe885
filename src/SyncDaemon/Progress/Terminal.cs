using Spectre.Console;

namespace ReplicaSync.Daemon.Progress;

/// <summary>Spectre.Console output that uses colours and redraws only on a terminal; piped output stays plain text.</summary>
public static class Terminal
{
    /// <summary>True when stdout is an interactive terminal that can redraw bars.</summary>
    public static bool Interactive => !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    public static IAnsiConsole For(TextWriter output) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(output),
        Ansi = Interactive ? AnsiSupport.Detect : AnsiSupport.No,
        ColorSystem = Interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        Interactive = Interactive ? InteractionSupport.Detect : InteractionSupport.No,
    });
}
