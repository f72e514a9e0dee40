using System.IO.Compression;
using System.Security;
using System.Text;

namespace OpenGov.Tabular.Tests;

/// <summary>
/// Writes small XLSX workbooks by hand (several sheets, merged cells, hidden sheets, time and date number formats),
/// and lets a test replace any part (broken XML, huge shared strings).
/// </summary>
internal sealed class XlsxBuilder
{
    private readonly List<(string Name, object?[][] Rows, string[] Merges, bool Hidden)> _sheets = [];

    /// <summary>Style index 1 = time (h:mm), 2 = date (yyyy-mm-dd); use <see cref="Time"/> and <see cref="Date"/> cells.</summary>
    public XlsxBuilder Sheet(string name, object?[][] rows, string[]? merges = null, bool hidden = false)
    {
        _sheets.Add((name, rows, merges ?? [], hidden));
        return this;
    }

    public Dictionary<string, string> Overrides { get; } = [];

    public sealed record Time(double Serial);

    public sealed record Date(double Serial);

    public MemoryStream Build()
    {
        var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            var sheetsXml = new StringBuilder();
            var rels = new StringBuilder();
            var types = new StringBuilder();
            for (var i = 0; i < _sheets.Count; i++)
            {
                var (name, rows, merges, hidden) = _sheets[i];
                sheetsXml.Append($"<sheet name=\"{SecurityElement.Escape(name)}\" sheetId=\"{i + 1}\" r:id=\"rId{i + 1}\"{(hidden ? " state=\"hidden\"" : "")}/>");
                rels.Append($"<Relationship Id=\"rId{i + 1}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet{i + 1}.xml\"/>");
                types.Append($"<Override PartName=\"/xl/worksheets/sheet{i + 1}.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>");
                Write(zip, $"xl/worksheets/sheet{i + 1}.xml", SheetXml(rows, merges));
            }
            rels.Append($"<Relationship Id=\"rId{_sheets.Count + 1}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>");
            Write(zip, "[Content_Types].xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/>"
                + "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
                + "<Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>" + types + "</Types>");
            Write(zip, "_rels/.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>");
            Write(zip, "xl/workbook.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
                + "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>" + sheetsXml + "</sheets></workbook>");
            Write(zip, "xl/_rels/workbook.xml.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" + rels + "</Relationships>");
            Write(zip, "xl/styles.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
                + "<numFmts count=\"1\"><numFmt numFmtId=\"164\" formatCode=\"yyyy\\-mm\\-dd\"/></numFmts>"
                + "<cellXfs count=\"3\"><xf numFmtId=\"0\"/><xf numFmtId=\"20\" applyNumberFormat=\"1\"/><xf numFmtId=\"164\" applyNumberFormat=\"1\"/></cellXfs></styleSheet>");
            foreach (var (path, content) in Overrides)
            {
                WriteEntry(zip, path, content);
            }
        }
        ms.Position = 0;
        return ms;
    }

    private void Write(ZipArchive zip, string path, string content)
    {
        if (!Overrides.ContainsKey(path))
        {
            WriteEntry(zip, path, content);
        }
    }

    private static void WriteEntry(ZipArchive zip, string path, string content)
    {
        using var s = zip.CreateEntry(path).Open();
        s.Write(Encoding.UTF8.GetBytes(content));
    }

    private static string Column(int c) => c < 26 ? ((char)('A' + c)).ToString() : Column((c / 26) - 1) + (char)('A' + (c % 26));

    private static string SheetXml(object?[][] rows, string[] merges)
    {
        var sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>");
        for (var r = 0; r < rows.Length; r++)
        {
            sb.Append($"<row r=\"{r + 1}\">");
            for (var c = 0; c < rows[r].Length; c++)
            {
                var cell = $"{Column(c)}{r + 1}";
                switch (rows[r][c])
                {
                    case null:
                        break;
                    case string s:
                        sb.Append($"<c r=\"{cell}\" t=\"inlineStr\"><is><t>{SecurityElement.Escape(s)}</t></is></c>");
                        break;
                    case Time t:
                        sb.Append($"<c r=\"{cell}\" s=\"1\"><v>{t.Serial.ToString(System.Globalization.CultureInfo.InvariantCulture)}</v></c>");
                        break;
                    case Date d:
                        sb.Append($"<c r=\"{cell}\" s=\"2\"><v>{d.Serial.ToString(System.Globalization.CultureInfo.InvariantCulture)}</v></c>");
                        break;
                    case IFormattable n:
                        sb.Append($"<c r=\"{cell}\"><v>{n.ToString(null, System.Globalization.CultureInfo.InvariantCulture)}</v></c>");
                        break;
                    default:
                        break;
                }
            }
            sb.Append("</row>");
        }
        sb.Append("</sheetData>");
        if (merges.Length > 0)
        {
            sb.Append($"<mergeCells count=\"{merges.Length}\">");
            foreach (var m in merges)
            {
                sb.Append($"<mergeCell ref=\"{m}\"/>");
            }
            sb.Append("</mergeCells>");
        }
        return sb.Append("</worksheet>").ToString();
    }
}
