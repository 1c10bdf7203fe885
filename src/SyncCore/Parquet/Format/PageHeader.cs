namespace ReplicaSync.Parquet;

internal sealed class PageHeader
{
    public PageType Type;
    public int UncompressedSize;
    public int CompressedSize;
    public DataPageHeader? DataPage;
    public DataPageHeaderV2? DataPageV2;
    public DictionaryPageHeader? DictionaryPage;
}

internal sealed class DataPageHeader
{
    public int NumValues;
    public int Encoding;
    public int DefinitionLevelEncoding;
    public int RepetitionLevelEncoding;
}

internal sealed class DataPageHeaderV2
{
    public int NumValues;
    public int NumNulls;
    public int NumRows;
    public int Encoding;
    public int DefinitionLevelsLength;
    public int RepetitionLevelsLength;
    public bool IsCompressed = true;
}

internal sealed class DictionaryPageHeader
{
    public int NumValues;
    public int Encoding;
}
