using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ReplicaSync.Integrity;

/// <summary>
/// CRC-32C of long inputs by carry-less multiplication (x64 PCLMULQDQ, and VPCLMULQDQ on 256/512-bit vectors):
/// several accumulators are folded forward over the data, then reduced to one 128-bit block whose 16 bytes the crc32
/// instruction finishes.
/// </summary>
/// <remarks>
/// A 128-bit block holds the message polynomial bit-reflected: its low qword is the higher-degree half. Carrying
/// a block forward over S bits multiplies its low qword by x^(S+64) and its high qword by x^S (mod P); the
/// constants are those residues stored as 64-bit reflected values (bit k for x^(63-k)), which makes the product one
/// degree short, so each is taken one power lower. The result is congruent to the carried block, and the CRC only
/// depends on the message modulo P.
/// The Update methods are AggressiveOptimization: ReadyToRun may not precompile wide-vector code, and this way the
/// JIT compiles them fully optimized on first use instead of running a Tier0 loop over the first chunks.
/// </remarks>
internal static class Crc32CFold
{
    /// <summary>The shortest input <see cref="Update256"/> accepts (<see cref="Update128"/> takes 64).</summary>
    public const int MinLength256 = 128;
    /// <summary>The shortest input <see cref="Update512"/> accepts.</summary>
    public const int MinLength512 = 256;

    private static readonly Vector128<ulong> By128 = Constants(128);
    private static readonly Vector128<ulong> By512 = Constants(512);
    private static readonly Vector256<ulong> By256Wide = Wide256(256);
    private static readonly Vector256<ulong> By1024Wide = Wide256(1024);
    private static readonly Vector256<ulong> Reduce256 = Vector256.Create(Constants(128), Vector128<ulong>.Zero);
    private static readonly Vector512<ulong> By512Wide = Vector512.Create(Wide256(512), Wide256(512));
    private static readonly Vector512<ulong> By2048Wide = Vector512.Create(Wide256(2048), Wide256(2048));
    private static readonly Vector512<ulong> Reduce512 = Vector512.Create(
        Vector256.Create(Constants(384), Constants(256)), Reduce256);

    /// <summary>The fold constants for carrying a 128-bit block forward over <paramref name="bits"/> bits.</summary>
    internal static Vector128<ulong> Constants(int bits) =>
        Vector128.Create((ulong)Crc32C.XPowerMod(bits + 63) << 32, (ulong)Crc32C.XPowerMod(bits - 1) << 32);

    private static Vector256<ulong> Wide256(int bits) => Vector256.Create(Constants(bits), Constants(bits));

    /// <summary>
    /// Runs <paramref name="crc"/> (the raw register) over all but the last &lt;16 bytes of the input, 16 bytes at a
    /// time on 4 accumulators; <paramref name="done"/> says how many bytes that was.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static uint Update128(uint crc, ref byte start, int length, out int done)
    {
        // The incoming register is carried over the whole input just like the first 4 bytes.
        var x0 = Load128(ref start, 0) ^ Vector128.CreateScalar((ulong)crc);
        var x1 = Load128(ref start, 16);
        var x2 = Load128(ref start, 32);
        var x3 = Load128(ref start, 48);
        int at;
        var k = By512;
        for (at = 64; length - at >= 64; at += 64)
        {
            x0 = Fold(x0, k, Load128(ref start, at));
            x1 = Fold(x1, k, Load128(ref start, at + 16));
            x2 = Fold(x2, k, Load128(ref start, at + 32));
            x3 = Fold(x3, k, Load128(ref start, at + 48));
        }
        k = By128;
        x3 = Fold(Fold(Fold(x0, k, x1), k, x2), k, x3);
        return Finish(x3, ref start, length, at, out done);
    }

    /// <summary><see cref="Update128"/> on 256-bit vectors, 128 bytes per step.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static uint Update256(uint crc, ref byte start, int length, out int done)
    {
        var x0 = Load256(ref start, 0) ^ Vector256.CreateScalar((ulong)crc);
        var x1 = Load256(ref start, 32);
        var x2 = Load256(ref start, 64);
        var x3 = Load256(ref start, 96);
        int at;
        var k = By1024Wide;
        for (at = 128; length - at >= 128; at += 128)
        {
            x0 = Fold(x0, k, Load256(ref start, at));
            x1 = Fold(x1, k, Load256(ref start, at + 32));
            x2 = Fold(x2, k, Load256(ref start, at + 64));
            x3 = Fold(x3, k, Load256(ref start, at + 96));
        }
        k = By256Wide;
        x3 = Fold(Fold(Fold(x0, k, x1), k, x2), k, x3);
        for (; length - at >= 32; at += 32)
            x3 = Fold(x3, k, Load256(ref start, at));
        // The lower half is carried over the upper one.
        var folded = Fold(x3, Reduce256, Vector256<ulong>.Zero);
        return Finish(folded.GetLower() ^ x3.GetUpper(), ref start, length, at, out done);
    }

    /// <summary><see cref="Update128"/> on 512-bit vectors, 256 bytes per step.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static uint Update512(uint crc, ref byte start, int length, out int done)
    {
        var x0 = Load512(ref start, 0) ^ Vector512.CreateScalar((ulong)crc);
        var x1 = Load512(ref start, 64);
        var x2 = Load512(ref start, 128);
        var x3 = Load512(ref start, 192);
        int at;
        var k = By2048Wide;
        for (at = 256; length - at >= 256; at += 256)
        {
            x0 = Fold(x0, k, Load512(ref start, at));
            x1 = Fold(x1, k, Load512(ref start, at + 64));
            x2 = Fold(x2, k, Load512(ref start, at + 128));
            x3 = Fold(x3, k, Load512(ref start, at + 192));
        }
        k = By512Wide;
        x3 = Fold(Fold(Fold(x0, k, x1), k, x2), k, x3);
        for (; length - at >= 64; at += 64)
            x3 = Fold(x3, k, Load512(ref start, at));
        // The first three 128-bit lanes are carried over the rest (Reduce512's last lane is zero).
        var folded = Fold(x3, Reduce512, Vector512<ulong>.Zero);
        var lower = folded.GetLower();
        var last = lower.GetLower() ^ lower.GetUpper() ^ folded.GetUpper().GetLower() ^ x3.GetUpper().GetUpper();
        return Finish(last, ref start, length, at, out done);
    }

    /// <summary>Folds the remaining whole 16-byte blocks into <paramref name="x"/>, then runs it through crc32.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Finish(Vector128<ulong> x, ref byte start, int length, int at, out int done)
    {
        for (; length - at >= 16; at += 16)
            x = Fold(x, By128, Load128(ref start, at));
        done = at;
        // The register after a 16-byte message that starts from 0 is the block times x^32 mod P.
        return (uint)Sse42.X64.Crc32(Sse42.X64.Crc32(0, x.ToScalar()), x.GetElement(1));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ulong> Fold(Vector128<ulong> x, Vector128<ulong> k, Vector128<ulong> data) =>
        Pclmulqdq.CarrylessMultiply(x, k, 0x00) ^ Pclmulqdq.CarrylessMultiply(x, k, 0x11) ^ data;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Fold(Vector256<ulong> x, Vector256<ulong> k, Vector256<ulong> data) =>
        Pclmulqdq.V256.CarrylessMultiply(x, k, 0x00) ^ Pclmulqdq.V256.CarrylessMultiply(x, k, 0x11) ^ data;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> Fold(Vector512<ulong> x, Vector512<ulong> k, Vector512<ulong> data) =>
        Pclmulqdq.V512.CarrylessMultiply(x, k, 0x00) ^ Pclmulqdq.V512.CarrylessMultiply(x, k, 0x11) ^ data;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ulong> Load128(ref byte start, int offset) =>
        Unsafe.ReadUnaligned<Vector128<ulong>>(ref Unsafe.Add(ref start, offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Load256(ref byte start, int offset) =>
        Unsafe.ReadUnaligned<Vector256<ulong>>(ref Unsafe.Add(ref start, offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> Load512(ref byte start, int offset) =>
        Unsafe.ReadUnaligned<Vector512<ulong>>(ref Unsafe.Add(ref start, offset));
}
