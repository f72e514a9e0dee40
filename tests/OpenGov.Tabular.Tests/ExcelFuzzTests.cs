using System.IO.Compression;
using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace OpenGov.Tabular.Tests;

/// <summary>
/// The Excel reader against hostile workbooks: zip bombs, huge shared strings, broken or random XML in every part,
/// mutated bytes of a valid workbook. Each either reads or fails with a <see cref="TableReadException"/>, never hangs.
/// </summary>
public class ExcelFuzzTests
{
    private static readonly Config Config = Config.QuickThrowOnFailure.WithMaxTest(150);

    private static byte[] Valid() => new XlsxBuilder()
        .Sheet("集計", [["行ラベル", "個数"], ["20代", 3]])
        .Sheet("一覧", [["No", "属性", null], [null, "年代", "性別"], [1, "20代", "男性"], [2, "30代", "女性"]], ["B1:C1", "A1:A2"])
        .Build().ToArray();

    private static Exception? Read(byte[] bytes, TableReadOptions? options = null) => Record.Exception(() =>
    {
        using var r = TableReader.Open(new MemoryStream(bytes), options);
        foreach (var row in r.Rows)
        {
            _ = row.Length;
        }
    });

    private static void AssertCleanOrOk(Exception? ex)
    {
        if (ex is not null)
        {
            Assert.IsType<TableReadException>(ex);
            Assert.False(string.IsNullOrEmpty(((TableReadException)ex).MessageJa));
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task Mutated_bytes_of_a_valid_workbook_never_crash_the_reader() =>
        await Task.Run(() =>
        {
            var valid = Valid();
            Check.One(Config, Prop.ForAll<int, byte, int>((pos, value, cut) =>
            {
                var bytes = (byte[])valid.Clone();
                bytes[Math.Abs(pos % bytes.Length)] = value;
                var length = bytes.Length - (Math.Abs(cut) % 64);
                var ex = Read(bytes[..length]);
                return ex is null or TableReadException;
            }));
        }, TestContext.Current.CancellationToken);

    [Fact(Timeout = 120_000)]
    public async Task Random_xml_in_any_part_never_crashes_the_reader() =>
        await Task.Run(() =>
        {
            string[] parts = ["xl/workbook.xml", "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml", "xl/styles.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml"];
            Check.One(Config, Prop.ForAll<int, string>((k, text) =>
            {
                var b = new XlsxBuilder().Sheet("a", [["x", "y"], [1, 2]]).Sheet("b", [["z"]]);
                b.Overrides[parts[Math.Abs(k % parts.Length)]] = "<?xml version=\"1.0\"?><" + (text ?? "") + ">";
                var ex = Read(b.Build().ToArray());
                return ex is null or TableReadException;
            }));
        }, TestContext.Current.CancellationToken);

    [Theory]
    [InlineData("xl/worksheets/sheet2.xml", "<worksheet><sheetData><row><c r=\"A1\" t=\"inlineStr\"><is><t>unclosed")]
    [InlineData("xl/workbook.xml", "<workbook><sheets><sheet name=\"a\" r:id=\"rId9\"/></sheets></workbook>")]
    [InlineData("xl/worksheets/sheet1.xml", "<!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]><worksheet><sheetData><row><c t=\"inlineStr\"><is><t>&c;</t></is></c></row></sheetData></worksheet>")]
    [InlineData("xl/worksheets/sheet1.xml", "<worksheet><sheetData><row r=\"1048577\"><c r=\"XFE1\"><v>1</v></c></row></sheetData></worksheet>")]
    [InlineData("xl/worksheets/sheet1.xml", "<worksheet><sheetData><row><c r=\"A1\" t=\"s\"><v>999999</v></c></row></sheetData><mergeCells><mergeCell ref=\"ZZ:A\"/></mergeCells></worksheet>")]
    public void Broken_parts_fail_cleanly_or_read(string part, string xml)
    {
        var b = new XlsxBuilder().Sheet("a", [["x", "y"], [1, 2]]).Sheet("b", [["z", "w"], [3, 4]]);
        b.Overrides[part] = xml;
        AssertCleanOrOk(Read(b.Build().ToArray()));
    }

    [Fact]
    public void A_zip_bomb_is_refused_before_it_is_expanded()
    {
        var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            var e = zip.CreateEntry("xl/worksheets/sheet1.xml", CompressionLevel.SmallestSize);
            using var s = e.Open();
            var zeros = new byte[1 << 20];
            for (var i = 0; i < 200; i++)
            {
                s.Write(zeros);
            }
        }
        var ex = Assert.Throws<TableReadException>(() => TableReader.Open(new MemoryStream(ms.ToArray()), new TableReadOptions { MaxExcelUncompressedBytes = 100L << 20 }));
        Assert.Equal("zip-bomb", ex.Code);
    }

    [Fact]
    public void Huge_shared_strings_fail_on_the_cell_limit_with_the_row_and_column()
    {
        var big = new string('あ', 300_000);
        var b = new XlsxBuilder().Sheet("a", [["x", "y"], [1, 2]]);
        b.Overrides["xl/sharedStrings.xml"] = $"<?xml version=\"1.0\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"1\" uniqueCount=\"1\"><si><t>{big}</t></si></sst>";
        b.Overrides["xl/worksheets/sheet1.xml"] = "<?xml version=\"1.0\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
            + "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>名称</t></is></c><c r=\"B1\" t=\"inlineStr\"><is><t>説明</t></is></c></row>"
            + "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>x</t></is></c><c r=\"B2\" t=\"s\"><v>0</v></c></row></sheetData></worksheet>";
        var bytes = b.Build().ToArray();
        AssertCleanOrOk(Read(bytes));
        var ex = Assert.IsType<TableReadException>(Read(bytes, new TableReadOptions { MaxFieldChars = 100_000 }));
        Assert.Equal("field-too-large", ex.Code);
        Assert.Equal(2, ex.Row);
        Assert.Equal(2, ex.Column);
    }

    [Fact]
    public void A_workbook_without_sheets_reads_as_an_empty_table_or_fails_cleanly()
    {
        var b = new XlsxBuilder().Sheet("a", [["x"]]);
        b.Overrides["xl/workbook.xml"] = "<?xml version=\"1.0\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheets/></workbook>";
        AssertCleanOrOk(Read(b.Build().ToArray()));
    }

    [Fact]
    public void Text_that_only_starts_like_a_zip_is_a_clean_error()
    {
        var ex = Assert.IsType<TableReadException>(Read([.. "PK\u0003\u0004"u8, .. Encoding.UTF8.GetBytes("名称,住所\r\n市役所,本町\r\n")]));
        Assert.Equal("corrupt-excel", ex.Code);
    }
}
