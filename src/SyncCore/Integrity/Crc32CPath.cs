namespace ReplicaSync.Integrity;

/// <summary>The ways <see cref="Crc32C"/> can run, slowest first; later ones fall back on earlier ones for tails.</summary>
internal enum Crc32CPath
{
    /// <summary>A byte at a time through a table.</summary>
    Table,
    /// <summary>The crc32 instruction (three interleaved lanes on 64-bit CPUs).</summary>
    Instruction,
    /// <summary>PCLMULQDQ folding on 128-bit vectors.</summary>
    Fold128,
    /// <summary>VPCLMULQDQ folding on 256-bit vectors.</summary>
    Fold256,
    /// <summary>VPCLMULQDQ folding on 512-bit vectors.</summary>
    Fold512,
}
