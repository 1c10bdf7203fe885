using System.Runtime.InteropServices;

namespace ReplicaSync.Storage;

/// <summary>The text of a failed libc call's errno, so an operator reads "No space left on device (errno 28)" rather than a bare number.</summary>
internal static class NativeError
{
    /// <summary>The last P/Invoke error of this thread, described.</summary>
    public static string Last() => Describe(Marshal.GetLastPInvokeError());

    public static string Describe(int errno) => $"{Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})";
}
