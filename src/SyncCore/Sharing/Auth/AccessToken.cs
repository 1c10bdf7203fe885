namespace ReplicaSync.Sharing.Auth;

/// <summary>An access token from a token endpoint, when it was obtained (a <see cref="TimeProvider"/> timestamp) and its lifetime, if announced.</summary>
internal sealed record AccessToken(string Value, long ObtainedAt, TimeSpan? Lifetime)
{
    /// <summary>Renew when less than this remains, as the Delta Sharing connectors do.</summary>
    public static readonly TimeSpan RenewMargin = TimeSpan.FromMinutes(10);

    /// <summary>
    /// True while the token has more than the renewal margin left. A token living less than twice the margin is
    /// renewed at half its life instead, so short-lived tokens are not exchanged before every request.
    /// </summary>
    public bool IsFresh(TimeProvider clock)
    {
        if (Lifetime is not { } lifetime)
            return true;
        var margin = lifetime < 2 * RenewMargin ? lifetime / 2 : RenewMargin;
        return clock.GetElapsedTime(ObtainedAt) < lifetime - margin;
    }
}
