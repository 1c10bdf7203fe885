using ReplicaSync.Delta;
using ReplicaSync.Vacuum;

namespace ReplicaSync.Tests.Vacuum;

public class VacuumFeaturesTests
{
    private static Protocol Features(string[] reader, string[] writer) =>
        new() { MinReaderVersion = 3, MinWriterVersion = 7, ReaderFeatures = [.. reader], WriterFeatures = [.. writer] };

    [Fact]
    public void Legacy_protocols_and_understood_features_pass()
    {
        VacuumFeatures.Check(new Protocol { MinReaderVersion = 1, MinWriterVersion = 2 });
        VacuumFeatures.Check(new Protocol { MinReaderVersion = 2, MinWriterVersion = 6 });
        VacuumFeatures.Check(Features(
            ["deletionVectors", "columnMapping", "v2Checkpoint", "vacuumProtocolCheck", "timestampNtz", "typeWidening", "variantType"],
            ["deletionVectors", "columnMapping", "v2Checkpoint", "vacuumProtocolCheck", "changeDataFeed", "appendOnly", "invariants",
             "checkConstraints", "generatedColumns", "identityColumns", "inCommitTimestamp", "domainMetadata", "rowTracking",
             "clustering", "allowColumnDefaults", "icebergCompatV1", "icebergCompatV2", "checkpointProtection",
             "typeWidening-preview", "variantType-preview", "timestampNtz", "typeWidening", "variantType"]));
    }

    [Theory]
    [InlineData("someFutureFeature")]
    [InlineData("catalogManaged")]
    [InlineData("coordinatedCommits-preview")]
    public void An_unknown_writer_feature_is_refused_by_name(string feature)
    {
        var e = Assert.Throws<VacuumException>(() => VacuumFeatures.Check(Features([], ["deletionVectors", feature])));
        Assert.Contains(feature, e.Message);
        Assert.DoesNotContain("deletionVectors", e.Message);
    }

    [Fact]
    public void Every_unknown_reader_feature_is_named()
    {
        var e = Assert.Throws<VacuumException>(() => VacuumFeatures.Check(Features(["zeta", "alpha"], ["zeta", "alpha"])));
        Assert.Contains("alpha, zeta", e.Message);
    }

    [Theory]
    [InlineData(4, 7)]
    [InlineData(3, 8)]
    public void Protocol_versions_above_reader_3_or_writer_7_are_refused(int reader, int writer)
    {
        var e = Assert.Throws<VacuumException>(() => VacuumFeatures.Check(new Protocol { MinReaderVersion = reader, MinWriterVersion = writer }));
        Assert.Contains($"reader version {reader}", e.Message);
    }
}
