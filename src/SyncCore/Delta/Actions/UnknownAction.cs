using System.Text.Json;

namespace ReplicaSync.Delta;

/// <summary>An action this code does not know; kept verbatim so a mirrored commit loses nothing.</summary>
public sealed class UnknownAction(string name, JsonElement body) : DeltaAction
{
    public string Name { get; } = name;
    public JsonElement Body { get; } = body;
}
