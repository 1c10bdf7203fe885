namespace ReplicaSync.Storage;

/// <summary>
/// A private read-write file in the system temp folder for data too large for memory (spilled adds, a checkpoint being
/// encoded). Its name is removed as soon as it is open (deleted on close on Windows, where an open file keeps its
/// name), so it lives only as long as its stream and nothing is left behind, even by a killed process.
/// </summary>
public static class ScratchFile
{
    /// <summary>A new scratch file named <paramref name="prefix"/>-(unique)<paramref name="extension"/> while it is created.</summary>
    public static FileStream Create(string prefix, string extension, FileOptions options = FileOptions.None)
    {
        var path = Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}{extension}");
        var file = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew, Access = FileAccess.ReadWrite, BufferSize = 1 << 16,
            Options = OperatingSystem.IsWindows() ? options | FileOptions.DeleteOnClose : options,
        });
        if (!OperatingSystem.IsWindows())
        {
            try
            {
                File.Delete(path);
            }
            catch
            {
                file.Dispose();
                throw;
            }
        }
        return file;
    }
}
