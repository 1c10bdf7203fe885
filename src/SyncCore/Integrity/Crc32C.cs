using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace ReplicaSync.Integrity;

/// <summary>
/// CRC-32C (Castagnoli, as in iSCSI, ext4 and GCS): carry-less multiplication folding for long inputs on x64, the
/// CPU's crc32 instruction (SSE4.2 or ARMv8 CRC32) otherwise, a table when there is neither. <see cref="Combine"/>
/// joins the CRCs of adjacent parts copied in parallel.
/// </summary>
public static class Crc32C
{
    private const uint Polynomial = 0x82F63B78; // reflected 0x1EDC6F41
    /// <summary>Long inputs run as three interleaved lanes of this many bytes, hiding the crc32 instruction's latency.</summary>
    private const int Lane = 4096;
    /// <summary>Below this the crc32 instruction beats folding's setup and reduction (measured on Zen 4).</summary>
    private const int FoldThreshold = 256;
    /// <summary>The wide forms pay off from two of their own blocks.</summary>
    private const int Wide256Threshold = 2 * Crc32CFold.MinLength256;
    private const int Wide512Threshold = 2 * Crc32CFold.MinLength512;
    private static readonly uint[] Table = BuildTable();
    private static readonly uint[] ShiftOneLane = ByteTables(ZeroOperator(Lane));
    private static readonly uint[] ShiftTwoLanes = ByteTables(ZeroOperator(2 * Lane));

    /// <summary>The fastest path this CPU offers.</summary>
    internal static Crc32CPath Fastest { get; } = Detect();

    /// <summary>The CRC of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Append(0, data);

    /// <summary>The CRC of the bytes <paramref name="crc"/> covered followed by <paramref name="data"/>.</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data) => ~Update(~crc, data, Fastest);

    /// <summary>Formats a CRC the way the replica records it: 8 lower-case hex digits, big-endian.</summary>
    public static string Format(uint crc) => crc.ToString("x8", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// The CRC of A followed by B, from crc(A), crc(B) and B's length (zlib's crc32_combine: multiply crc(A) by
    /// x^(8·lenB) modulo the polynomial, with the operator squared for each bit of the length).
    /// </summary>
    public static uint Combine(uint crcA, uint crcB, long lengthB)
    {
        if (lengthB <= 0)
            return crcA;
        Span<uint> odd = stackalloc uint[32];
        Span<uint> even = stackalloc uint[32];
        odd[0] = Polynomial; // the operator for one zero bit
        uint row = 1;
        for (var n = 1; n < 32; n++)
        {
            odd[n] = row;
            row <<= 1;
        }
        Square(even, odd); // two zero bits
        Square(odd, even); // four zero bits
        var crc = crcA;
        var length = lengthB;
        do
        {
            Square(even, odd);
            if ((length & 1) != 0)
                crc = Times(even, crc);
            length >>= 1;
            if (length == 0)
                break;
            Square(odd, even);
            if ((length & 1) != 0)
                crc = Times(odd, crc);
            length >>= 1;
        }
        while (length != 0);
        return crc ^ crcB;
    }

    /// <summary>Whether this CPU can run <paramref name="path"/>.</summary>
    internal static bool IsSupported(Crc32CPath path) => path switch
    {
        Crc32CPath.Table => true,
        Crc32CPath.Instruction => Sse42.IsSupported || Crc32.IsSupported,
        Crc32CPath.Fold128 => Pclmulqdq.IsSupported && Sse42.X64.IsSupported,
        Crc32CPath.Fold256 => Pclmulqdq.V256.IsSupported && IsSupported(Crc32CPath.Fold128),
        Crc32CPath.Fold512 => Pclmulqdq.V512.IsSupported && IsSupported(Crc32CPath.Fold256),
        _ => false,
    };

    // The loops read through refs rather than span slices: ReadyToRun code may not inline Slice or
    // BinaryPrimitives across assemblies, and an out-of-line call per 8 bytes made the CRC most of a copy's CPU.
    /// <summary>Runs the raw register over <paramref name="data"/> on <paramref name="path"/> (which must be supported).</summary>
    internal static uint Update(uint crc, ReadOnlySpan<byte> data, Crc32CPath path)
    {
        if (!BitConverter.IsLittleEndian || path == Crc32CPath.Table)
            return UpdateTable(crc, data);
        ref var start = ref MemoryMarshal.GetReference(data);
        var length = data.Length;
        var done = 0;
        if (Sse42.X64.IsSupported)
        {
            // Without the wide forms, folding is slower than three crc32 lanes, so it only takes what they leave.
            for (; path <= Crc32CPath.Fold128 && length - done >= 3 * Lane; done += 3 * Lane)
            {
                ref var lane = ref Unsafe.Add(ref start, done);
                ulong a = crc, b = 0, c = 0;
                for (var i = 0; i < Lane; i += 8)
                {
                    a = Sse42.X64.Crc32(a, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref lane, i)));
                    b = Sse42.X64.Crc32(b, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref lane, Lane + i)));
                    c = Sse42.X64.Crc32(c, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref lane, 2 * Lane + i)));
                }
                crc = JoinLanes((uint)a, (uint)b, (uint)c);
            }
            if (path >= Crc32CPath.Fold128 && length - done >= FoldThreshold)
            {
                crc = Fold(crc, ref Unsafe.Add(ref start, done), length - done, path, out var folded);
                done += folded;
            }
            for (; length - done >= 8; done += 8)
                crc = (uint)Sse42.X64.Crc32(crc, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, done)));
        }
        else if (Sse42.IsSupported)
        {
            for (; length - done >= 4; done += 4)
                crc = Sse42.Crc32(crc, Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref start, done)));
        }
        else if (Crc32.Arm64.IsSupported)
        {
            for (; length - done >= 3 * Lane; done += 3 * Lane)
            {
                ref var lane = ref Unsafe.Add(ref start, done);
                uint a = crc, b = 0, c = 0;
                for (var i = 0; i < Lane; i += 8)
                {
                    a = Crc32.Arm64.ComputeCrc32C(a, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref lane, i)));
                    b = Crc32.Arm64.ComputeCrc32C(b, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref lane, Lane + i)));
                    c = Crc32.Arm64.ComputeCrc32C(c, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref lane, 2 * Lane + i)));
                }
                crc = JoinLanes(a, b, c);
            }
            for (; length - done >= 8; done += 8)
                crc = Crc32.Arm64.ComputeCrc32C(crc, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, done)));
        }
        else if (Crc32.IsSupported)
        {
            for (; length - done >= 4; done += 4)
                crc = Crc32.ComputeCrc32C(crc, Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref start, done)));
        }
        return UpdateTable(crc, data[done..]);
    }

    /// <summary>Runs the register over most of a long input by folding; <paramref name="done"/> says how much.</summary>
    private static uint Fold(uint crc, ref byte start, int length, Crc32CPath path, out int done) => path switch
    {
        Crc32CPath.Fold512 when length >= Wide512Threshold => Crc32CFold.Update512(crc, ref start, length, out done),
        Crc32CPath.Fold256 or Crc32CPath.Fold512 when length >= Wide256Threshold => Crc32CFold.Update256(crc, ref start, length, out done),
        _ => Crc32CFold.Update128(crc, ref start, length, out done),
    };

    /// <summary>Reflected x^<paramref name="n"/> mod P (bit i holds x^(31-i)): the fold constants.</summary>
    internal static uint XPowerMod(int n)
    {
        var r = 1u << 31;
        for (var i = 0; i < n; i++)
            r = (r & 1) != 0 ? (r >> 1) ^ Polynomial : r >> 1;
        return r;
    }

    private static Crc32CPath Detect()
    {
        if (IsSupported(Crc32CPath.Fold512) && Vector512.IsHardwareAccelerated)
            return Crc32CPath.Fold512;
        if (IsSupported(Crc32CPath.Fold256) && Vector256.IsHardwareAccelerated)
            return Crc32CPath.Fold256;
        if (IsSupported(Crc32CPath.Fold128))
            return Crc32CPath.Fold128;
        return IsSupported(Crc32CPath.Instruction) ? Crc32CPath.Instruction : Crc32CPath.Table;
    }

    /// <summary>
    /// The register after three adjacent lanes, the first run from the incoming register and the others from 0: the
    /// register update is linear, so each earlier lane is carried over the later ones by a precomputed operator.
    /// </summary>
    private static uint JoinLanes(uint first, uint second, uint third) =>
        Shift(ShiftTwoLanes, first) ^ Shift(ShiftOneLane, second) ^ third;

    /// <summary>A 32-column operator applied through its four byte tables (see <see cref="ByteTables"/>).</summary>
    private static uint Shift(uint[] tables, uint vector) =>
        tables[(byte)vector] ^ tables[256 + (byte)(vector >> 8)] ^ tables[512 + (byte)(vector >> 16)] ^ tables[768 + (vector >> 24)];

    /// <summary>The operator's products with every value of each byte of the vector, 256 entries per byte.</summary>
    private static uint[] ByteTables(uint[] matrix)
    {
        var tables = new uint[4 * 256];
        for (var b = 0; b < 4; b++)
        {
            for (uint v = 0; v < 256; v++)
                tables[b * 256 + (int)v] = Times(matrix, v << (8 * b));
        }
        return tables;
    }

    /// <summary>The operator that runs a register over <paramref name="length"/> zero bytes (one column per bit).</summary>
    private static uint[] ZeroOperator(int length)
    {
        var zeros = new byte[length];
        var matrix = new uint[32];
        for (var bit = 0; bit < 32; bit++)
            matrix[bit] = UpdateTable(1u << bit, zeros);
        return matrix;
    }

    /// <summary>The portable path, also used for the tail the wide instructions leave; tests call it directly.</summary>
    internal static uint UpdateTable(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (var b in data)
            crc = Table[(byte)(crc ^ b)] ^ (crc >> 8);
        return crc;
    }

    private static uint Times(ReadOnlySpan<uint> matrix, uint vector)
    {
        uint sum = 0;
        for (var i = 0; vector != 0; i++, vector >>= 1)
        {
            if ((vector & 1) != 0)
                sum ^= matrix[i];
        }
        return sum;
    }

    private static void Square(Span<uint> square, ReadOnlySpan<uint> matrix)
    {
        for (var n = 0; n < 32; n++)
            square[n] = Times(matrix, matrix[n]);
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            var c = i;
            for (var k = 0; k < 8; k++)
                c = (c & 1) != 0 ? (c >> 1) ^ Polynomial : c >> 1;
            table[i] = c;
        }
        return table;
    }
}
