using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MiniExcelLibs;
using OpenGov.Ckan;
using OpenGov.Tabular;

namespace OpenGov.DataStore;

/// <summary>/datastore/dump/{resource_id}: the whole table or a filtered result as CSV, TSV, JSON or XLSX, streamed.</summary>
public static class DataStoreDump
{
    public static void MapDump(IEndpointRouteBuilder app)
    {
        app.MapGet("/datastore/dump/{resourceId}", DumpAsync)
            .WithName("datastore_dump")
            .WithTags("CKAN DataStore")
            .WithSummary("Downloads a DataStore table (format=csv|tsv|json|xlsx, bom=true, encoding=cp932, include_id=false, q, filters, fields, sort, limit, offset); the file is named after the resource.");
    }

    /// <summary>Appends a CSV/TSV cell, quoted when needed.</summary>
    public static void AppendCell(StringBuilder sb, string value, char sep)
    {
        if (value.AsSpan().IndexOfAny(sep, '"', '\n') >= 0 || value.Contains('\r'))
        {
            sb.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
        }
        else
        {
            sb.Append(value);
        }
    }

    private static async Task DumpAsync(HttpContext http, string resourceId, DataStoreAccess access, DataStoreStorage storage, Catalog.Usage.UsageCounter counter, CancellationToken ct)
    {
        var q = http.Request.Query;
        var format = (q["format"].ToString() is { Length: > 0 } f ? f : "csv").ToLowerInvariant();
        if (format is not ("csv" or "tsv" or "json" or "xlsx"))
        {
            await BadAsync(http, "format must be csv, tsv, json or xlsx");
            return;
        }

        var encodingName = q["encoding"].ToString().ToLowerInvariant();
        Encoding encoding;
        var bom = q["bom"].ToString() is "true" or "1" or "True";
        switch (encodingName)
        {
            case "" or "utf-8" or "utf8":
                encoding = new UTF8Encoding(false);
                break;
            case "cp932" or "shift_jis" or "sjis" or "windows-31j":
                encoding = Encoding.GetEncoding(932, new EncoderReplacementFallback("?"), DecoderFallback.ReplacementFallback);
                bom = false;
                break;
            default:
                await BadAsync(http, "encoding must be utf-8 or cp932");
                return;
        }

        var includeId = q["include_id"].ToString() is not ("false" or "0" or "False");
        string fileBase;
        try
        {
            var (resource, _) = await access.ReadableAsync(resourceId, ct);
            fileBase = FileBaseName(resource.Name, resourceId);
            counter.Download(http, resource.Id);
        }
        catch (CkanException)
        {
            http.Response.StatusCode = 404;
            await http.Response.WriteAsync("Resource not found", ct);
            return;
        }

        var data = new JsonObject();
        foreach (var key in new[] { "q", "filters", "fields", "sort", "limit", "offset", "distinct" })
        {
            if (q[key].ToString() is { Length: > 0 } v)
            {
                data[key] = v;
            }
        }

        data["include_total"] = false;
        try
        {
            var found = await storage.ReadAsync(resourceId, async (c, tx, t) =>
            {
                var spec = DataStoreQuery.Parse(t, data, dump: true);
                if (!includeId && spec.Fields.Count > 1)
                {
                    spec.Fields.RemoveAll(f => f.Id == DataStoreQuery.IdField.Id);
                }

                await using var cmd = c.CreateCommand();
                cmd.Transaction = tx;
                cmd.CommandText = DataStoreQuery.Select(spec, t, cmd, storage.Backend);
                cmd.CommandTimeout = 0;
                await using var r = await cmd.ExecuteReaderAsync(ct);
                var ext = format;
                http.Response.ContentType = format switch
                {
                    "csv" => "text/csv; charset=" + (encodingName is "" or "utf-8" or "utf8" ? "utf-8" : "shift_jis"),
                    "tsv" => "text/tab-separated-values; charset=" + (encodingName is "" or "utf-8" or "utf8" ? "utf-8" : "shift_jis"),
                    "json" => "application/json; charset=utf-8",
                    _ => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                };
                var disposition = new Microsoft.Net.Http.Headers.ContentDispositionHeaderValue("attachment");
                disposition.SetHttpFileName(fileBase + "." + ext);
                http.Response.Headers.ContentDisposition = disposition.ToString();
                switch (format)
                {
                    case "csv" or "tsv":
                        await WriteDelimitedAsync(http, r, spec, storage.Backend, format == "csv" ? ',' : '\t', encoding, bom, ct);
                        break;
                    case "json":
                        await WriteJsonAsync(http, r, spec, storage.Backend, ct);
                        break;
                    default:
                        await WriteXlsxAsync(http, r, spec, storage.Backend, ct);
                        break;
                }

                return true;
            }, ct);
            if (!found)
            {
                http.Response.StatusCode = 404;
                await http.Response.WriteAsync("Resource has no DataStore table", ct);
            }
        }
        catch (DataStoreValidationException e)
        {
            if (!http.Response.HasStarted)
            {
                await BadAsync(http, e.Field + ": " + e.Message);
            }
        }
    }

    private static async Task BadAsync(HttpContext http, string message)
    {
        http.Response.StatusCode = 400;
        http.Response.ContentType = "text/plain; charset=utf-8";
        await http.Response.WriteAsync(message);
    }

    private static async Task WriteDelimitedAsync(HttpContext http, DbDataReader r, SearchSpec spec, IDataStoreBackend backend, char sep, Encoding encoding, bool bom, CancellationToken ct)
    {
        var body = http.Response.Body;
        if (bom)
        {
            await body.WriteAsync(new byte[] { 0xEF, 0xBB, 0xBF }, ct);
        }

        var sb = new StringBuilder(64 * 1024);
        for (var i = 0; i < spec.Fields.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(sep);
            }

            AppendCell(sb, spec.Fields[i].Id, sep);
        }

        sb.Append("\r\n");
        while (await r.ReadAsync(ct))
        {
            for (var i = 0; i < spec.Fields.Count; i++)
            {
                if (i > 0)
                {
                    sb.Append(sep);
                }

                AppendCell(sb, DsTypes.ToText(backend.ReadValue(r, i, spec.Fields[i].Type)), sep);
            }

            sb.Append("\r\n");
            if (sb.Length > 60_000)
            {
                await body.WriteAsync(encoding.GetBytes(sb.ToString()), ct);
                sb.Clear();
            }
        }

        await body.WriteAsync(encoding.GetBytes(sb.ToString()), ct);
    }

    private static async Task WriteJsonAsync(HttpContext http, DbDataReader r, SearchSpec spec, IDataStoreBackend backend, CancellationToken ct)
    {
        await using var w = new Utf8JsonWriter(http.Response.Body, new JsonWriterOptions { Encoder = CkanApi.Json.Encoder });
        w.WriteStartObject();
        w.WritePropertyName("fields");
        DataStoreActions.FieldsJson(spec.Fields, withId: false).WriteTo(w);
        w.WriteStartArray("records");
        while (await r.ReadAsync(ct))
        {
            w.WriteStartArray();
            for (var i = 0; i < spec.Fields.Count; i++)
            {
                var node = DsTypes.ToJson(backend.ReadValue(r, i, spec.Fields[i].Type));
                if (node is null)
                {
                    w.WriteNullValue();
                }
                else
                {
                    node.WriteTo(w);
                }
            }

            w.WriteEndArray();
            if (w.BytesPending > 60_000)
            {
                await w.FlushAsync(ct);
            }
        }

        w.WriteEndArray();
        w.WriteEndObject();
        await w.FlushAsync(ct);
    }

    private static async Task WriteXlsxAsync(HttpContext http, DbDataReader r, SearchSpec spec, IDataStoreBackend backend, CancellationToken ct)
    {
        // MiniExcel writes synchronously and needs a seekable stream for the zip: a temporary file keeps memory constant.
        var tmp = Path.Combine(Path.GetTempPath(), "og-dump-" + Guid.NewGuid().ToString("N") + ".xlsx");
        try
        {
            IEnumerable<IDictionary<string, object?>> Rows()
            {
                while (r.Read())
                {
                    var row = new Dictionary<string, object?>(spec.Fields.Count);
                    for (var i = 0; i < spec.Fields.Count; i++)
                    {
                        var v = backend.ReadValue(r, i, spec.Fields[i].Type);
                        row[spec.Fields[i].Id] = ExcelValue(v, spec.Fields[i].Type);
                    }

                    yield return row;
                }
            }

            await using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16))
            {
                // date columns show as dates (the cell is an Excel date serial either way; timestamps keep their time)
                var config = new MiniExcelLibs.OpenXml.OpenXmlConfiguration
                {
                    DynamicColumns = [.. spec.Fields.Where(f => f.Type == DsTypes.Date)
                        .Select(f => new MiniExcelLibs.Attributes.DynamicExcelColumn(f.Id) { Format = "yyyy-mm-dd" })],
                };
                MiniExcel.SaveAs(fs, Rows(), sheetName: "data", configuration: config);
            }

            await using var read = new FileStream(tmp, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
            http.Response.ContentLength = read.Length;
            await read.CopyToAsync(http.Response.Body, ct);
        }
        finally
        {
            File.Delete(tmp);
        }
    }

    /// <summary>
    /// A cell value as the workbook stores it: numbers as numbers, dates and timestamps as Excel dates (backends may
    /// read them as ISO text), JSON as its text.
    /// </summary>
    private static object? ExcelValue(object? v, string type) => v switch
    {
        JsonNode n => n.ToJsonString(),
        decimal m => (double)m,
        DateOnly d => d.ToDateTime(TimeOnly.MinValue),
        string s when type == DsTypes.Date && DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) =>
            d.ToDateTime(TimeOnly.MinValue),
        string s when type == DsTypes.Timestamp && DateTime.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var t) => t,
        _ => v,
    };

    /// <summary>
    /// The download's file name without extension: the resource's name without its own extension (「人口.csv」 →
    /// 「人口」), path and control characters removed; the resource id when the name is empty.
    /// </summary>
    public static string FileBaseName(string? resourceName, string resourceId)
    {
        var name = (resourceName ?? "").Trim();
        var dot = name.LastIndexOf('.');
        if (dot > 0 && name.Length - dot <= 6 && name[(dot + 1)..].All(char.IsAsciiLetterOrDigit))
        {
            name = name[..dot];
        }

        var clean = new string([.. name.Where(c => !char.IsControl(c) && c is not ('/' or '\\' or ':' or '*' or '?' or '"' or '<' or '>' or '|'))]).Trim(' ', '.');
        if (clean.Length > 100)
        {
            clean = clean[..(char.IsHighSurrogate(clean[99]) ? 99 : 100)];
        }

        return clean.Length == 0 ? resourceId : clean;
    }

    /// <summary>Encoding names understood by the reader library (for overrides).</summary>
    public static Encoding? EncodingByName(string? name) => name?.ToLowerInvariant() switch
    {
        null or "" or "auto" => null,
        "utf-8" or "utf8" or "utf-8-bom" => new UTF8Encoding(false),
        "cp932" or "shift_jis" or "sjis" or "windows-31j" => EncodingDetector.ShiftJis,
        "euc-jp" or "eucjp" => EncodingDetector.EucJp,
        _ => throw new ArgumentException("unknown encoding " + name),
    };
}
