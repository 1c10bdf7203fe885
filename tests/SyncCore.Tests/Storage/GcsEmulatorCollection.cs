using ReplicaSync.TestSupport;

namespace ReplicaSync.Tests.Storage;

/// <summary>The GCS tests share one Firebase Storage emulator; each test gets its own bucket.</summary>
[CollectionDefinition(Name)]
public sealed class GcsEmulatorCollection : ICollectionFixture<GcsEmulator>
{
    public const string Name = "gcs-emulator";
}
