using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.Options;
using OpenGov.Ckan;
using OpenGov.Hosting;

namespace OpenGov.Catalog.Editing;

/// <summary>What was stored for an uploaded resource file.</summary>
public sealed record StoredUpload(string RelativePath, string FileName, long Size, string Hash, string Mimetype, string Format)
{
    /// <summary>Where a replacement file waits until its change is committed (null when written in place).</summary>
    public string? StagingPath { get; init; }
}

/// <summary>
/// Uploaded files (resources; the council's entry files use the same store, keyed by a GUID of their own): stored under OpenGovOptions.UploadsDirectory/&lt;resource id&gt;/&lt;safe file name&gt;,
/// hashed (SHA-256) while written, with a MIME type and CKAN format guessed from the extension.
/// </summary>
public sealed class UploadStore(IOptions<OpenGovOptions> options, StorageSpace space)
{
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    private static readonly Dictionary<string, string> Formats = new(StringComparer.OrdinalIgnoreCase)
    {
        [".csv"] = "CSV",
        [".tsv"] = "TSV",
        [".txt"] = "TXT",
        [".xlsx"] = "XLSX",
        [".xls"] = "XLS",
        [".xlsm"] = "XLSX",
        [".ods"] = "ODS",
        [".json"] = "JSON",
        [".geojson"] = "GeoJSON",
        [".pdf"] = "PDF",
        [".zip"] = "ZIP",
        [".xml"] = "XML",
        [".rdf"] = "RDF",
        [".ttl"] = "TTL",
        [".kml"] = "KML",
        [".kmz"] = "KMZ",
        [".shp"] = "SHP",
        [".doc"] = "DOC",
        [".docx"] = "DOCX",
        [".ppt"] = "PPT",
        [".pptx"] = "PPTX",
        [".odt"] = "ODT",
        [".html"] = "HTML",
        [".htm"] = "HTML",
        [".png"] = "PNG",
        [".jpg"] = "JPEG",
        [".jpeg"] = "JPEG",
        [".gif"] = "GIF",
        [".svg"] = "SVG",
        [".gz"] = "GZ",
        [".7z"] = "7Z",
    };

    private static readonly Dictionary<string, string> ExtraMimetypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".geojson"] = "application/geo+json",
        [".tsv"] = "text/tab-separated-values",
        [".kml"] = "application/vnd.google-earth.kml+xml",
        [".kmz"] = "application/vnd.google-earth.kmz",
        [".ttl"] = "text/turtle",
        [".rdf"] = "application/rdf+xml",
        [".shp"] = "application/octet-stream",
    };

    public string Root => Path.GetFullPath(options.Value.UploadsDirectory);

    public long MaxBytes => options.Value.MaxUploadBytes;

    /// <summary>CKAN's error for a file over the limit.</summary>
    public static CkanException TooLarge() => CkanException.Validation("upload", "File upload too large");

    /// <summary>
    /// A file name safe to store and to show: the last path segment only (both / and \ count), no control or
    /// reserved characters, no leading dots, at most 100 characters with the extension kept. Japanese stays.
    /// </summary>
    public static string SafeFileName(string? raw)
    {
        var name = (raw ?? "").Replace('\\', '/');
        name = name[(name.LastIndexOf('/') + 1)..].Normalize(NormalizationForm.FormC).Trim();
        var sb = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            if (char.IsControl(c) || c is '<' or '>' or ':' or '"' or '|' or '?' or '*' or '%' or '#' or ';' or '&' or '\'' or '`'
                || char.GetUnicodeCategory(c) is UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned)
            {
                sb.Append('_');
            }
            else if (char.IsWhiteSpace(c))
            {
                sb.Append('_');
            }
            else
            {
                sb.Append(c);
            }
        }

        name = sb.ToString().TrimStart('.', '_', '-').TrimEnd('.', ' ');
        var ext = Path.GetExtension(name);
        if (ext.Length > 12)
        {
            ext = "";
        }

        var stem = name[..(name.Length - ext.Length)];
        if (stem.Length == 0)
        {
            stem = "file";
        }

        if (stem.Length + ext.Length > 100)
        {
            stem = stem[..(100 - ext.Length)];
        }

        return stem + ext;
    }

    public static string GuessMimetype(string fileName)
    {
        var ext = Path.GetExtension(fileName);
        if (ExtraMimetypes.TryGetValue(ext, out var m))
        {
            return m;
        }

        return ContentTypes.TryGetContentType(fileName, out var type) ? type : "application/octet-stream";
    }

    public static string GuessFormat(string fileNameOrUrl)
    {
        var path = fileNameOrUrl;
        if (Uri.TryCreate(fileNameOrUrl, UriKind.Absolute, out var uri))
        {
            path = uri.AbsolutePath;
        }

        var ext = Path.GetExtension(path);
        return Formats.TryGetValue(ext, out var f) ? f : "";
    }

    /// <summary>
    /// Stores the file; refuses it (nothing written) when it is over the limit, or with 507
    /// (<see cref="StorageFullException"/>) when the disk has no room for it or fills up while it is written. A staged file (replacing another)
    /// waits under .staging until <see cref="Promote"/> after the commit, so a failed change leaves the old file.
    /// </summary>
    public async Task<StoredUpload> SaveAsync(string resourceId, IFormFile file, CancellationToken ct, bool staged = false)
    {
        if (file.Length > MaxBytes)
        {
            throw TooLarge();
        }

        var fileName = SafeFileName(file.FileName);
        var finalDir = ResourceDirectory(resourceId);
        var finalPath = Path.GetFullPath(Path.Combine(finalDir, fileName));
        var dir = staged ? Path.Combine(Root, ".staging", Guid.NewGuid().ToString("N")) : finalDir;
        var path = Path.GetFullPath(Path.Combine(dir, fileName));
        if (!finalPath.StartsWith(finalDir + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw CkanException.Validation("upload", "Invalid file name");
        }

        if (!path.StartsWith(dir + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw CkanException.Validation("upload", "Invalid file name");
        }

        space.EnsureRoom(file.Length);
        long size = 0;
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        try
        {
            Directory.CreateDirectory(dir);
            await using (var input = file.OpenReadStream())
            await using (var output = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                var buffer = new byte[81920];
                int read;
                while ((read = await input.ReadAsync(buffer, ct)) > 0)
                {
                    size += read;
                    if (size > MaxBytes)
                    {
                        throw TooLarge();
                    }

                    sha.AppendData(buffer, 0, read);
                    await output.WriteAsync(buffer.AsMemory(0, read), ct);
                }
            }
        }
        catch (Exception e)
        {
            if (staged)
            {
                DeleteDirectory(dir);
            }
            else
            {
                Delete(resourceId);
            }

            if (e is not StorageFullException && StorageSpace.IsDiskFull(e))
            {
                throw new StorageFullException();
            }

            throw;
        }

        return new StoredUpload(
            Path.GetRelativePath(Root, finalPath).Replace('\\', '/'),
            fileName,
            size,
            "sha256:" + Convert.ToHexStringLower(sha.GetHashAndReset()),
            GuessMimetype(fileName),
            GuessFormat(fileName))
        {
            StagingPath = staged ? path : null,
        };
    }

    /// <summary>Moves a staged file into place (after the commit) and removes the resource's other files.</summary>
    public void Promote(StoredUpload stored)
    {
        if (stored.StagingPath is null)
        {
            return;
        }

        var final = Path.GetFullPath(Path.Combine(Root, stored.RelativePath));
        Directory.CreateDirectory(Path.GetDirectoryName(final)!);
        File.Move(stored.StagingPath, final, overwrite: true);
        DeleteDirectory(Path.GetDirectoryName(stored.StagingPath)!);
        foreach (var f in Directory.EnumerateFiles(Path.GetDirectoryName(final)!))
        {
            if (!string.Equals(Path.GetFullPath(f), final, StringComparison.Ordinal))
            {
                TryDelete(f);
            }
        }
    }

    /// <summary>Drops a staged file whose change failed.</summary>
    public void Discard(StoredUpload stored)
    {
        if (stored.StagingPath is not null)
        {
            DeleteDirectory(Path.GetDirectoryName(stored.StagingPath)!);
        }
    }

    private static void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static void DeleteDirectory(string dir)
    {
        try
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>The stored file of a resource, or null when it has none or the path would leave the uploads folder.</summary>
    public string? PhysicalPath(Resource r) => PhysicalPath(r.StoragePath);

    /// <summary>A stored file by its path under the uploads folder (also the council's entry files), or null as above.</summary>
    public string? PhysicalPath(string? storagePath)
    {
        if (string.IsNullOrEmpty(storagePath))
        {
            return null;
        }

        var full = Path.GetFullPath(Path.Combine(Root, storagePath));
        return full.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal) && File.Exists(full) ? full : null;
    }

    /// <summary>Removes everything stored for a resource (after a failed write, or when a file is replaced).</summary>
    public void Delete(string resourceId)
    {
        DeleteDirectory(ResourceDirectory(resourceId));
    }

    private string ResourceDirectory(string resourceId)
    {
        if (!Guid.TryParse(resourceId, out _))
        {
            throw CkanException.Validation("id", "Invalid resource id");
        }

        return Path.Combine(Root, resourceId);
    }
}
