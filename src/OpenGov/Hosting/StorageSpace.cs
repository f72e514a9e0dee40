using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenGov.Ckan;

namespace OpenGov.Hosting;

/// <summary>
/// 507 Insufficient Storage in CKAN's envelope (<c>__type: "Insufficient Storage"</c>), with the reason in English
/// (<c>message</c>) and Japanese (<c>message_ja</c>). Thrown before anything is written, or after a write that ran out
/// of space has been undone.
/// </summary>
public sealed class StorageFullException() : CkanException(507, "Insufficient Storage", MessageEnglish)
{
    public const string MessageEnglish = "The server's storage is full: nothing was saved. Please try again later or ask the site administrator.";
    public const string MessageJapanese = "サーバーの保存領域が不足しているため、保存できませんでした（何も保存されていません）。時間をおいて再度お試しいただくか、サイト管理者にお問い合わせください。";

    public override string? MessageJa => MessageJapanese;
}

/// <summary>
/// Free space on the data directory (uploads, SQLite database, load work files). Writes that need room refuse to
/// start below <see cref="OpenGovOptions.MinFreeDiskMegabytes"/>, and a write that fails with "no space left" is
/// reported as <see cref="StorageFullException"/>; /healthz reports "Degraded" below the threshold.
/// </summary>
public sealed class StorageSpace(IOptions<OpenGovOptions> options) : IHealthCheck
{
    public long MinFreeBytes => Math.Max(0, options.Value.MinFreeDiskMegabytes) * 1024L * 1024L;

    /// <summary>Bytes free for this process on the data directory's file system (long.MaxValue when unknown).</summary>
    public long FreeBytes()
    {
        try
        {
            var dir = options.Value.DataDirectory;
            Directory.CreateDirectory(dir);
            return new DriveInfo(Path.GetFullPath(dir)).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return long.MaxValue;
        }
    }

    /// <summary>True when writing <paramref name="bytes"/> more would leave less than the minimum free.</summary>
    public bool IsLow(long bytes = 0)
    {
        var free = FreeBytes();
        return free == long.MaxValue ? false : free - Math.Max(0, bytes) < MinFreeBytes;
    }

    /// <summary>Throws <see cref="StorageFullException"/> (507) when there is no room for <paramref name="bytes"/> more.</summary>
    public void EnsureRoom(long bytes = 0)
    {
        if (IsLow(bytes))
        {
            throw new StorageFullException();
        }
    }

    /// <summary>
    /// Whether an exception (or one inside it) means the disk is full: ENOSPC/EDQUOT on Unix, ERROR_DISK_FULL and
    /// ERROR_HANDLE_DISK_FULL on Windows, SQLite's SQLITE_FULL, PostgreSQL's disk_full (53100).
    /// </summary>
    public static bool IsDiskFull(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is StorageFullException
                || (e is IOException io && (io.HResult is 28 or 122 || ((io.HResult & 0xFFFF) is 0x70 or 0x27 && (io.HResult >>> 16) == 0x8007)))
                || e is SqliteException { SqliteErrorCode: 13 }
                || e is PostgresException { SqlState: PostgresErrorCodes.DiskFull })
            {
                return true;
            }
        }

        return false;
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var free = FreeBytes();
        return Task.FromResult(free != long.MaxValue && free < MinFreeBytes
            ? HealthCheckResult.Degraded($"data directory has {free / (1024 * 1024)} MB free, below the minimum of {MinFreeBytes / (1024 * 1024)} MB")
            : HealthCheckResult.Healthy());
    }
}
