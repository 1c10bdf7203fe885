using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ReplicaSync.SharingServer.Tests;

/// <summary>A logger provider that keeps every formatted line with its category, for tests to read.</summary>
internal sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<(string Category, string Text)> _lines = new();

    /// <summary>The lines logged so far in <paramref name="category"/>.</summary>
    public IReadOnlyList<string> Lines(string category) => _lines.Where(l => l.Category == category).Select(l => l.Text).ToList();

    /// <summary>Every line logged so far, any category.</summary>
    public IReadOnlyList<string> All => _lines.Select(l => l.Text).ToList();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<(string, string)> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue((category, formatter(state, exception) + (exception is null ? "" : " " + exception)));
    }
}
