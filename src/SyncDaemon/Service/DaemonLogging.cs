namespace ReplicaSync.Daemon.Service;

/// <summary>
/// One line per event: JSON (for log shippers) when output is not a terminal, a compact single line on one.
/// Framework chatter is kept to warnings. Messages come from our own templates, which carry no secrets.
/// </summary>
public static class DaemonLogging
{
    public static void Configure(ILoggingBuilder logging, bool json)
    {
        logging.ClearProviders();
        if (json)
        {
            logging.AddJsonConsole(o =>
            {
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                o.IncludeScopes = false;
                o.JsonWriterOptions = new System.Text.Json.JsonWriterOptions { Indented = false };
            });
        }
        else
        {
            logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "HH:mm:ss ";
            });
        }
        logging.SetMinimumLevel(LogLevel.Information);
        logging.AddFilter("Microsoft", LogLevel.Warning);
        logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
        logging.AddFilter("Quartz", LogLevel.Warning);
        logging.AddFilter("System.Net.Http", LogLevel.Warning);
    }
}
