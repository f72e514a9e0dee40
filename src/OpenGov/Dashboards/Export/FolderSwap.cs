using System.Runtime.InteropServices;

namespace OpenGov.Dashboards;

/// <summary>
/// Puts a freshly written folder in place of a published one so that a web server reading the published path sees
/// either the whole old folder or the whole new one, never a mix: the new folder is written beside the target (same
/// file system), then swapped in. On Linux the swap is one <c>renameat2(RENAME_EXCHANGE)</c>; elsewhere (or on a file
/// system without it) the old folder is renamed aside and the new one renamed in, which leaves the path missing for
/// the instant between the two renames, never half-written.
/// </summary>
public static class FolderSwap
{
    /// <summary>A new empty folder beside <paramref name="target"/> to write the next version into.</summary>
    public static string Scratch(string target)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(target));
        var parent = Path.GetDirectoryName(full) ?? throw new ArgumentException("no parent folder", nameof(target));
        Directory.CreateDirectory(parent);
        var scratch = Path.Combine(parent, "." + Path.GetFileName(full) + ".new-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(scratch);
        return scratch;
    }

    /// <summary>Puts <paramref name="written"/> at <paramref name="target"/> and deletes what was there.</summary>
    public static void Publish(string written, string target)
    {
        target = Path.TrimEndingDirectorySeparator(Path.GetFullPath(target));
        if (!Directory.Exists(target))
        {
            Directory.Move(written, target);
            return;
        }
        if (OperatingSystem.IsLinux() && Exchange(written, target))
        {
            Directory.Delete(written, recursive: true); // now holds the previous version
            return;
        }
        var old = written + ".old";
        Directory.Move(target, old);
        Directory.Move(written, target);
        Directory.Delete(old, recursive: true);
    }

    private const int AtFdCwd = -100;
    private const uint RenameExchange = 2;

    private static bool Exchange(string a, string b)
    {
        try
        {
            return Native.renameat2(AtFdCwd, a, AtFdCwd, b, RenameExchange) == 0;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return false;
        }
    }

    private static class Native
    {
        [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static extern int renameat2(int olddirfd, string oldpath, int newdirfd, string newpath, uint flags);
    }
}
