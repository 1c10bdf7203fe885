using ReplicaSync.Delta;

namespace ReplicaSync.Tests.Delta;

/// <summary>Minimal actions for building small tables in tests.</summary>
internal static class TestTables
{
    public static DeltaAction[] CreateActions() =>
    [
        new Protocol { MinReaderVersion = 1, MinWriterVersion = 2 },
        new Metadata
        {
            Id = "11111111-2222-3333-4444-555555555555",
            SchemaString = """{"type":"struct","fields":[{"name":"id","type":"long","nullable":true,"metadata":{}}]}""",
        },
    ];
}
