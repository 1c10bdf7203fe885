using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace ReplicaSync.Storage.Azure;

/// <summary>One blob of a List Blobs page; directories of a hierarchical-namespace (ADLS Gen2) account are flagged.</summary>
internal sealed record ListedBlob(string Name, long Size, DateTimeOffset LastModified, bool IsDirectory);

/// <summary>Reads the XML of List Blobs and Get Block List answers.</summary>
internal sealed class AzureListPage
{
    private static readonly XmlReaderSettings Settings = new() { Async = true, DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };

    public required IReadOnlyList<ListedBlob> Blobs { get; init; }

    /// <summary>The marker for the next page, or null on the last one.</summary>
    public string? NextMarker { get; init; }

    public static async Task<AzureListPage> ReadAsync(Stream xml, CancellationToken ct)
    {
        var root = await LoadAsync(xml, ct);
        var blobs = new List<ListedBlob>();
        foreach (var blob in root.Element("Blobs")?.Elements("Blob") ?? [])
        {
            var nameElement = blob.Element("Name") ?? throw new FormatException("a List Blobs entry has no Name");
            // Names with characters XML cannot carry come percent-encoded and marked Encoded="true".
            var name = (string?)nameElement.Attribute("Encoded") == "true" ? Uri.UnescapeDataString(nameElement.Value) : nameElement.Value;
            var properties = blob.Element("Properties");
            var size = long.Parse(properties?.Element("Content-Length")?.Value ?? "0", CultureInfo.InvariantCulture);
            var modified = properties?.Element("Last-Modified")?.Value is { } text
                ? DateTimeOffset.ParseExact(text, "R", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)
                : DateTimeOffset.UnixEpoch;
            var isDirectory = string.Equals(properties?.Element("ResourceType")?.Value, "directory", StringComparison.OrdinalIgnoreCase)
                || string.Equals(blob.Element("Metadata")?.Element("hdi_isfolder")?.Value, "true", StringComparison.OrdinalIgnoreCase);
            blobs.Add(new ListedBlob(name, size, modified, isDirectory));
        }
        var next = root.Element("NextMarker")?.Value;
        return new AzureListPage { Blobs = blobs, NextMarker = string.IsNullOrEmpty(next) ? null : next };
    }

    /// <summary>Block id to size from a Get Block List answer (committed and uncommitted blocks alike).</summary>
    public static async Task<Dictionary<string, long>> ReadBlockListAsync(Stream xml, CancellationToken ct)
    {
        var root = await LoadAsync(xml, ct);
        var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var block in root.Descendants("Block"))
            sizes[block.Element("Name")?.Value ?? ""] = long.Parse(block.Element("Size")?.Value ?? "0", CultureInfo.InvariantCulture);
        return sizes;
    }

    private static async Task<XElement> LoadAsync(Stream xml, CancellationToken ct)
    {
        using var reader = XmlReader.Create(xml, Settings);
        var document = await XDocument.LoadAsync(reader, LoadOptions.None, ct);
        return document.Root ?? throw new FormatException("the Blob service answered with an empty XML document");
    }
}
