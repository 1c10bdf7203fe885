using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace ReplicaSync.Integrity;

/// <summary>
/// CRC-32C (Castagnoli, as in iSCSI, ext4 and GCS): the CPU's crc32 instruction (SSE4.2 or ARMv8 CRC32) when
/// there is one, a table otherwise. <see cref="Combine"/> joins the CRCs of adjacent parts copied in parallel.
/// </summary>
public static class Crc32C
{
    private const uint Polynomial = 0x82F63B78; // reflected 0x1EDC6F41
    /// <summary>Long inputs run as three interleaved lanes of this many bytes, hiding the crc32 instruction's latency.</summary>
    private const int Lane = 4096;
    private static readonly uint[] Table = BuildTable();
    private static readonly uint[] ShiftOneLane = ZeroOperator(Lane);
    private static readonly uint[] ShiftTwoLanes = ZeroOperator(2 * Lane);

    /// <summary>The CRC of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Append(0, data);

    /// <summary>The CRC of the bytes <paramref name="crc"/> covered followed by <paramref name="data"/>.</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data) => ~Update(~crc, data);

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

    // The loops read through refs rather than span slices: ReadyToRun code may not inline Slice or
    // BinaryPrimitives across assemblies, and an out-of-line call per 8 bytes made the CRC most of a copy's CPU.
    private static uint Update(uint crc, ReadOnlySpan<byte> data)
    {
        if (!BitConverter.IsLittleEndian)
            return UpdateTable(crc, data);
        ref var start = ref MemoryMarshal.GetReference(data);
        var length = data.Length;
        var done = 0;
        if (Sse42.X64.IsSupported)
        {
            for (; length - done >= 3 * Lane; done += 3 * Lane)
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

    /// <summary>
    /// The register after three adjacent lanes, the first run from the incoming register and the others from 0: the
    /// register update is linear, so each earlier lane is carried over the later ones by a precomputed operator.
    /// </summary>
    private static uint JoinLanes(uint first, uint second, uint third) =>
        Times(ShiftTwoLanes, first) ^ Times(ShiftOneLane, second) ^ third;

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
