using System.IO.Compression;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenGov.Catalog.Editing;
using OpenGov.Ckan;
using OpenGov.Hosting;
using OpenGov.Storage;

namespace OpenGov.Council.Contests;

/// <summary>
/// Files attached to entries (PDF, PNG, JPEG, PPTX): the team adds and removes them while the call is open; the
/// type is read from the file's first bytes (the browser's type and the extension are not trusted); stored by the
/// catalog's <see cref="UploadStore"/> under the uploads directory. Who may download: the team, the entry's judges and
/// the secretariat; anyone for an awarded entry once the contest publishes its results.
/// </summary>
public sealed class EntryFiles(OpenGovDb db, CouncilAccess access, UploadStore store, IOptions<OpenGovOptions> options)
{
    public const long MaxFileBytes = 20L * 1024 * 1024;
    public const int MaxFilesPerEntry = 10;

    private static readonly Dictionary<string, string[]> Extensions = new()
    {
        ["application/pdf"] = [".pdf"],
        ["image/png"] = [".png"],
        ["image/jpeg"] = [".jpg", ".jpeg"],
        ["application/vnd.openxmlformats-officedocument.presentationml.presentation"] = [".pptx"],
    };

    public long Limit => Math.Min(MaxFileBytes, store.MaxBytes);

    /// <summary>What all files of one entry may take together (<see cref="OpenGovOptions.MaxContestEntryMegabytes"/>).</summary>
    public long TotalLimit => Math.Max(0, options.Value.MaxContestEntryMegabytes) * 1024 * 1024;

    /// <summary>The entry's files, if the caller may download them (else 403; 404 when the entry is not visible to them).</summary>
    public async Task<(ContestEntry Entry, List<ContestEntryFile> Files)> ListAsync(Contest contest, long entryId, CancellationToken ct)
    {
        var entry = await EntryAsync(contest, entryId, ct);
        if (!await CanDownloadAsync(contest, entry, ct))
        {
            throw new CouncilException(403, "添付ファイルを見られるのは応募者・審査員・事務局だけです（結果の公開後は受賞作のファイルを公開します）。");
        }

        var files = await FilesOfAsync([entry.Id], ct);
        return (entry, files.GetValueOrDefault(entry.Id, []));
    }

    /// <summary>The files of those of <paramref name="entries"/> whose files the caller may download, by entry.</summary>
    public async Task<Dictionary<long, List<ContestEntryFile>>> VisibleFilesAsync(Contest contest, IEnumerable<ContestEntry> entries, CancellationToken ct)
    {
        var allowed = new List<long>();
        foreach (var e in entries)
        {
            if (await CanDownloadAsync(contest, e, ct))
            {
                allowed.Add(e.Id);
            }
        }

        return await FilesOfAsync(allowed, ct);
    }

    /// <summary>A file to send: its path on disk and what it is.</summary>
    public async Task<(ContestEntryFile File, string Path)> OpenAsync(Contest contest, long entryId, long fileId, CancellationToken ct)
    {
        var (_, files) = await ListAsync(contest, entryId, ct);
        var f = files.FirstOrDefault(f => f.Id == fileId) ?? throw CouncilException.NotFound();
        return (f, store.PhysicalPath(f.StoragePath) ?? throw CouncilException.NotFound());
    }

    /// <summary>The team adds a file to its entry while the call is open.</summary>
    public async Task<ContestEntryFile> AddAsync(Contest contest, long entryId, IFormFile? file, CancellationToken ct)
    {
        var entry = await OwnEntryAsync(contest, entryId, ct);
        if (file is null || file.Length == 0)
        {
            throw CouncilException.Invalid("file", "ファイルを選んでください。");
        }

        if (file.Length > Limit)
        {
            throw TooLarge();
        }

        var sizes = await db.Set<ContestEntryFile>().Where(f => f.EntryId == entry.Id).Select(f => f.Size).ToListAsync(ct);
        if (sizes.Count >= MaxFilesPerEntry)
        {
            throw CouncilException.Invalid("file", "添付ファイルは1件の応募に{0}個までです。", MaxFilesPerEntry);
        }

        var used = sizes.Sum();
        if (used + file.Length > TotalLimit)
        {
            throw OverTotal(used);
        }

        var type = await SniffAsync(file, ct) ?? throw CouncilException.Invalid("file", "添付できるのは PDF・PNG・JPEG・PowerPoint（.pptx）のファイルだけです（ファイルの中身で判定します）。");
        var key = Guid.NewGuid().ToString();
        StoredUpload stored;
        try
        {
            stored = await store.SaveAsync(key, new NamedFile(file, NameFor(file.FileName, type)), ct);
        }
        catch (StorageFullException)
        {
            throw new CouncilException(507, "保存領域が足りないため、ファイルを保存できません。", "file");
        }
        catch (CkanException)
        {
            throw TooLarge();
        }

        if (stored.Size > Limit)
        {
            store.Delete(key);
            throw TooLarge();
        }

        if (used + stored.Size > TotalLimit)
        {
            store.Delete(key);
            throw OverTotal(used);
        }

        var row = new ContestEntryFile
        {
            EntryId = entry.Id,
            ContestId = contest.Id,
            FileName = stored.FileName,
            StoragePath = stored.RelativePath,
            ContentType = type,
            Size = stored.Size,
            Hash = stored.Hash,
            UploadedByUserId = access.User.Id,
        };
        db.Add(row);
        try
        {
            await SaveAsync(ct);
        }
        catch
        {
            store.Delete(key);
            throw;
        }

        return row;
    }

    /// <summary>The team removes a file from its entry while the call is open.</summary>
    public async Task RemoveAsync(Contest contest, long entryId, long fileId, CancellationToken ct)
    {
        var entry = await OwnEntryAsync(contest, entryId, ct);
        var f = await db.Set<ContestEntryFile>().FirstOrDefaultAsync(f => f.Id == fileId && f.EntryId == entry.Id, ct) ?? throw CouncilException.NotFound();
        db.Remove(f);
        await SaveAsync(ct); // the stored file goes once this is committed (EntryFileCleanup)
    }

    /// <summary>
    /// The team, the secretariat, the entry's judges; anyone (also anonymous) when the entry is accepted and awarded
    /// and the contest publishes its results.
    /// </summary>
    public async Task<bool> CanDownloadAsync(Contest contest, ContestEntry entry, CancellationToken ct)
    {
        var me = access.User.Id;
        if (entry.OwnerUserId == me || await access.IsSecretariatAsync(ct))
        {
            return true;
        }

        if (me is not null && await db.Set<ContestAssignment>().AnyAsync(a => a.EntryId == entry.Id && a.JudgeUserId == me, ct))
        {
            return true;
        }

        return contest.PublishResults && entry.State == EntryStates.Accepted && await db.Set<ContestAward>().AnyAsync(a => a.EntryId == entry.Id, ct);
    }

    /// <summary>The type the file's bytes show (null when it is none of the four): PDF, PNG and JPEG by their signatures, PPTX as a zip holding ppt/presentation.xml.</summary>
    public static async Task<string?> SniffAsync(IFormFile file, CancellationToken ct)
    {
        var head = new byte[8];
        int n;
        await using (var s = file.OpenReadStream())
        {
            n = await s.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct);
        }

        if (n >= 5 && head.AsSpan(0, 5).SequenceEqual("%PDF-"u8))
        {
            return "application/pdf";
        }

        if (n >= 8 && head.AsSpan(0, 8).SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }))
        {
            return "image/png";
        }

        if (n >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF)
        {
            return "image/jpeg";
        }

        if (n >= 4 && head.AsSpan(0, 4).SequenceEqual("PK\u0003\u0004"u8))
        {
            try
            {
                await using var s = file.OpenReadStream();
                using var zip = new ZipArchive(s, ZipArchiveMode.Read);
                if (zip.GetEntry("ppt/presentation.xml") is not null && zip.GetEntry("[Content_Types].xml") is not null)
                {
                    return "application/vnd.openxmlformats-officedocument.presentationml.presentation";
                }
            }
            catch (InvalidDataException)
            {
                return null;
            }
        }

        return null;
    }

    /// <summary>The uploads store's safe name, with the extension of the sniffed type (added when the name has another one).</summary>
    private static string NameFor(string raw, string type)
    {
        var name = UploadStore.SafeFileName(raw);
        var ext = Path.GetExtension(name).ToLowerInvariant();
        var allowed = Extensions[type];
        return allowed.Contains(ext) ? name : Path.GetFileNameWithoutExtension(name) + allowed[0];
    }

    private CouncilException OverTotal(long used) =>
        CouncilException.Invalid("file", "添付ファイルは1件の応募に合計{0}MBまでです（添付済み {1}MB）。", TotalLimit / 1024 / 1024, Math.Round(used / 1024d / 1024d, 1));

    private CouncilException TooLarge() => CouncilException.Invalid("file", "ファイルは{0}MBまでです。", Limit / 1024 / 1024);

    private async Task<ContestEntry> EntryAsync(Contest contest, long entryId, CancellationToken ct)
    {
        var e = await db.Set<ContestEntry>().AsNoTracking().FirstOrDefaultAsync(e => e.Id == entryId && e.ContestId == contest.Id, ct) ?? throw CouncilException.NotFound();
        var me = access.User.Id;
        var visible = e.State == EntryStates.Accepted || e.OwnerUserId == me || await access.IsSecretariatAsync(ct)
            || (me is not null && await db.Set<ContestAssignment>().AnyAsync(a => a.EntryId == e.Id && a.JudgeUserId == me, ct));
        return visible ? e : throw CouncilException.NotFound();
    }

    private async Task<ContestEntry> OwnEntryAsync(Contest contest, long entryId, CancellationToken ct)
    {
        var userId = access.User.Id ?? throw CouncilException.LoginRequired();
        var entry = await EntryAsync(contest, entryId, ct);
        if (entry.OwnerUserId != userId)
        {
            throw new CouncilException(403, "添付ファイルを追加・削除できるのは応募者だけです。");
        }

        EntryEditor.RequireOpen(contest);
        return entry;
    }

    private async Task<Dictionary<long, List<ContestEntryFile>>> FilesOfAsync(List<long> entryIds, CancellationToken ct) =>
        (await db.Set<ContestEntryFile>().AsNoTracking().Where(f => entryIds.Contains(f.EntryId)).OrderBy(f => f.Id).ToListAsync(ct))
            .GroupBy(f => f.EntryId).ToDictionary(g => g.Key, g => g.ToList());

    private Task SaveAsync(CancellationToken ct) => CouncilAudit.SaveAsync(db, access.User.Id, access.User.Name ?? "", ct);

    /// <summary>The uploaded file under the name it is stored as.</summary>
    private sealed class NamedFile(IFormFile inner, string name) : IFormFile
    {
        public string ContentType => inner.ContentType;
        public string ContentDisposition => inner.ContentDisposition;
        public IHeaderDictionary Headers => inner.Headers;
        public long Length => inner.Length;
        public string Name => inner.Name;
        public string FileName => name;

        public void CopyTo(Stream target) => inner.CopyTo(target);

        public Task CopyToAsync(Stream target, CancellationToken cancellationToken = default) => inner.CopyToAsync(target, cancellationToken);

        public Stream OpenReadStream() => inner.OpenReadStream();
    }
}
