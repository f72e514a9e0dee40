using System.IO.Compression;
using System.Text;
using MiniExcelLibs;

namespace OpenGov.Tabular.Tests;

public class TableReaderTests
{
    private const string MunicipalCsv =
        "新型コロナウイルス感染症 陽性患者一覧,,,\r\n" +
        ",,,\r\n" +
        "No,公表_年月日,患者_年代,検査件数\r\n" +
        "１,令和２年１１月６日,２０代,\"１，２３４\"\r\n" +
        "2,R2.11.7,30代,５６７\r\n" +
        "3,令和元年5月1日,不明,-\r\n" +
        "※注記：年代は公表時点のものです,,,\r\n" +
        "出典：つくば市,,,\r\n";

    [Fact]
    public void Tokyo_patients_file_has_14645_rows_with_bom_utf8_and_comma()
    {
        using var r = TableReader.Open(TestData.Fixture(TestData.TokyoPatients));
        var rows = TestData.ReadAll(r);
        Assert.Equal(14645, rows.Count);
        Assert.Equal("utf-8-bom", r.EncodingName);
        Assert.Equal(',', r.Delimiter);
        Assert.Equal(0, r.HeaderRowIndex);
        Assert.Equal(16, r.Columns.Count);
        Assert.Equal("No", r.Columns[0]);
        Assert.Equal("退院済フラグ", r.Columns[^1]);
        Assert.Equal(0, r.RaggedRowCount);
        Assert.Equal("14541", rows[^1][0]); // the file is not sorted by No
        Assert.Equal(14646, r.CurrentRowNumber);
    }

    [Fact]
    public void Tokyo_call_center_file_sums_to_168420_consultations()
    {
        using var r = TableReader.Open(TestData.Fixture(TestData.TokyoCallCenter));
        var types = TypeInference.InferFromSample(r.Columns, r.Rows, null, out var all);
        var normalizer = new ColumnNormalizer(types);
        var idx = r.Columns.ToList().IndexOf("相談件数");
        Assert.Equal(ColumnType.Integer, types[idx].Type);
        Assert.Equal(ColumnType.Date, types[r.Columns.ToList().IndexOf("受付_年月日")].Type);
        Assert.Equal(ColumnType.Text, types[0].Type); // code columns stay text (leading zeros matter)
        long sum = 0;
        var n = 0;
        foreach (var row in all)
        {
            var values = normalizer.Normalize(row, r.CurrentRowNumber);
            sum += (long)values[idx]!;
            n++;
        }
        Assert.Equal(190, n);
        Assert.Equal(168420, sum);
        Assert.Equal(0, normalizer.ProblemCount);
    }

    [Fact]
    public void Cp932_file_with_title_rows_wareki_dates_and_full_width_digits_is_read()
    {
        using var r = TableReader.Open(TestData.Bytes(MunicipalCsv, TestData.Cp932));
        Assert.Equal("shift_jis", r.EncodingName);
        Assert.Equal(2, r.HeaderRowIndex);
        Assert.Equal(["新型コロナウイルス感染症 陽性患者一覧"], r.TitleRows);
        Assert.Equal(["No", "公表_年月日", "患者_年代", "検査件数"], r.Columns);
        var rows = TestData.ReadAll(r);
        Assert.Equal(3, rows.Count);
        Assert.Equal("１，２３４", rows[0][3]);
        Assert.Equal(2, r.SkippedRowCount);
        Assert.Equal("note", r.SkippedRows[0].Kind);
        Assert.StartsWith("※注記", r.SkippedRows[0].Text, StringComparison.Ordinal);
        Assert.Equal(7, r.SkippedRows[0].Row);

        var types = TypeInference.Infer(r.Columns, rows);
        Assert.Equal([ColumnType.Integer, ColumnType.Date, ColumnType.Text, ColumnType.Integer], types.Select(t => t.Type));
        var values = new ColumnNormalizer(types).Normalize(rows[0], 4);
        Assert.Equal(1L, values[0]);
        Assert.Equal(new DateOnly(2020, 11, 6), values[1]);
        Assert.Equal(1234L, values[3]);
        Assert.Null(new ColumnNormalizer(types).Normalize(rows[2], 6)[3]);
    }

    [Fact]
    public void Euc_jp_file_is_detected()
    {
        using var r = TableReader.Open(TestData.Bytes(MunicipalCsv, TestData.EucJp));
        Assert.Equal("euc-jp", r.EncodingName);
        Assert.Equal("公表_年月日", r.Columns[1]);
        Assert.Equal(3, TestData.ReadAll(r).Count);
    }

    [Theory]
    [InlineData("utf-8", false, "utf-8")]
    [InlineData("utf-8", true, "utf-8-bom")]
    [InlineData("utf-16le", true, "utf-16le")]
    [InlineData("utf-16be", true, "utf-16be")]
    [InlineData("utf-16le", false, "utf-16le")]
    public void Bom_variants_are_detected(string encoding, bool bom, string expected)
    {
        Encoding enc = encoding switch
        {
            "utf-16le" => new UnicodeEncoding(false, false),
            "utf-16be" => new UnicodeEncoding(true, false),
            _ => new UTF8Encoding(false),
        };
        using var r = TableReader.Open(TestData.Bytes(MunicipalCsv, enc, bom));
        Assert.Equal(expected, r.EncodingName);
        Assert.Equal("No", r.Columns[0]);
        Assert.Equal(3, TestData.ReadAll(r).Count);
    }

    [Fact]
    public void Encoding_can_be_overridden()
    {
        using var r = TableReader.Open(TestData.Bytes(MunicipalCsv, TestData.Cp932), new TableReadOptions { Encoding = TestData.Cp932 });
        Assert.Equal("reason: override", "reason: " + r.EncodingReason);
        Assert.Equal("公表_年月日", r.Columns[1]);
    }

    [Fact]
    public void Cp932_detection_survives_a_sample_cut_in_the_middle_of_a_character()
    {
        var sb = new StringBuilder("名前,値\r\n");
        for (var i = 0; i < 20000; i++)
        {
            sb.Append("あいうえお漢字,").Append(i).Append("\r\n");
        }
        using var r = TableReader.Open(new NonSeekableStream(TestData.Bytes(sb.ToString(), TestData.Cp932)));
        Assert.Equal("shift_jis", r.EncodingName);
        var rows = TestData.ReadAll(r);
        Assert.Equal(20000, rows.Count);
        Assert.All(rows, row => Assert.Equal("あいうえお漢字", row[0]));
    }

    [Theory]
    [InlineData('\t')]
    [InlineData(';')]
    [InlineData('|')]
    [InlineData(',')]
    public void Delimiter_is_detected_ignoring_quoted_commas(char d)
    {
        var text = $"名前{d}住所{d}人数\n\"山田, 太郎\"{d}\"東京都, 千代田区\"{d}3\n\"鈴木, 花子\"{d}\"大阪府, 大阪市\"{d}4\n";
        using var r = TableReader.Open(TestData.Bytes(text, new UTF8Encoding(false)));
        Assert.Equal(d, r.Delimiter);
        var rows = TestData.ReadAll(r);
        Assert.Equal("山田, 太郎", rows[0][0]);
        Assert.Equal(3, rows[0].Length);
    }

    [Fact]
    public void Duplicate_and_empty_headers_are_made_unique_and_reported()
    {
        using var r = TableReader.Open(TestData.Bytes("名前,備考,,備考,値\na,b,c,d,e\n", new UTF8Encoding(false)));
        Assert.Equal(["名前", "備考", "column_3", "備考_2", "値"], r.Columns);
        Assert.Equal(2, r.HeaderRenames.Count);
        Assert.Contains(r.HeaderRenames, h => h.Reason == "empty" && h.ColumnIndex == 2);
        Assert.Contains(r.HeaderRenames, h => h.Reason == "duplicate" && h.Name == "備考_2");
    }

    [Fact]
    public void Nul_characters_in_cells_are_removed_and_counted_with_the_first_position()
    {
        const string text = "名前,値\n千葉\0市,1\n奈良市,2\0\0\n福岡市,3\n";
        using var r = TableReader.Open(TestData.Bytes(text, Encoding.UTF8));
        var rows = TestData.ReadAll(r);
        Assert.Equal(["千葉市", "1"], rows[0]);
        Assert.Equal(["奈良市", "2"], rows[1]);
        Assert.Equal(2, r.NulCellCount);
        Assert.Equal((2L, 1), r.FirstNulCell);
    }

    [Fact]
    public void Ragged_rows_are_reported_not_silently_padded()
    {
        const string text = "a,b,c\n1,2,3\n4,5\n6,7,8,9\n10,11,12,\n";
        using (var r = TableReader.Open(TestData.Bytes(text, Encoding.UTF8)))
        {
            var rows = TestData.ReadAll(r);
            Assert.Equal(4, rows.Count);
            Assert.Equal(2, rows[1].Length);
            Assert.Equal(4, rows[2].Length);
            Assert.Equal(3, rows[3].Length); // a trailing empty cell is not ragged
            Assert.Equal(2, r.RaggedRowCount);
            Assert.Equal([new RaggedRow(3, 2, 3), new RaggedRow(4, 4, 3)], r.RaggedRows);
        }
        using (var r = TableReader.Open(TestData.Bytes(text, Encoding.UTF8), new TableReadOptions { RaggedRows = RaggedRowPolicy.PadOrTruncate }))
        {
            Assert.All(TestData.ReadAll(r), row => Assert.Equal(3, row.Length));
        }
        using (var r = TableReader.Open(TestData.Bytes(text, Encoding.UTF8), new TableReadOptions { RaggedRows = RaggedRowPolicy.Error }))
        {
            var ex = Assert.Throws<TableReadException>(() => TestData.ReadAll(r));
            Assert.Equal("ragged-row", ex.Code);
            Assert.Equal(3, ex.Row);
            Assert.Contains("見出し", ex.MessageJa, StringComparison.Ordinal);
            Assert.Contains("header", ex.MessageEn, StringComparison.Ordinal);
        }
    }

    // 神戸市's access-log workbook: blank rows under the header, then rows wider than the header; the header scan read
    // past its first 15 rows and failed with IndexOutOfRangeException (reported as read-error)
    [Fact]
    public void A_row_wider_than_the_header_after_blank_rows_loads()
    {
        var csv = "ページ,件数\n" + string.Concat(Enumerable.Repeat(",\n", 16)) + "トップ,10,備考,x\n";
        using var r = TableReader.Open(TestData.Bytes(csv, Encoding.UTF8));
        Assert.Equal(["ページ", "件数"], r.Columns);
        Assert.Single(TestData.ReadAll(r));
    }

    [Fact]
    public void Ten_thousand_columns_exceed_the_default_limit_with_a_clear_error()
    {
        var header = string.Join(",", Enumerable.Range(1, 10_000).Select(i => "c" + i));
        var row = string.Join(",", Enumerable.Range(1, 10_000).Select(i => "v" + i));
        using var ms = TestData.Bytes(header + "\n" + row + "\n", Encoding.UTF8);
        var ex = Assert.Throws<TableReadException>(() => TableReader.Open(ms));
        Assert.Equal("too-many-columns", ex.Code);
        Assert.Equal(1, ex.Row);
        Assert.Equal(4097, ex.Column);

        ms.Position = 0;
        using var r = TableReader.Open(ms, new TableReadOptions { MaxColumns = 20_000 });
        Assert.Equal(10_000, r.Columns.Count);
        Assert.Single(TestData.ReadAll(r));
    }

    [Fact]
    public void A_10_MB_field_exceeds_the_default_limit_with_row_and_column()
    {
        var big = new string('あ', 10 * 1024 * 1024);
        using var ms = TestData.Bytes("a,b\n1,\"" + big + "\"\n", Encoding.UTF8);
        var ex = Assert.Throws<TableReadException>(() =>
        {
            using var r = TableReader.Open(ms); // the header scan may already meet the field
            TestData.ReadAll(r);
        });
        Assert.Equal("field-too-large", ex.Code);
        Assert.Equal(2, ex.Row);
        Assert.Equal(2, ex.Column);

        ms.Position = 0;
        using var r2 = TableReader.Open(ms, new TableReadOptions { MaxFieldChars = 16 * 1024 * 1024 });
        Assert.Equal(big.Length, TestData.ReadAll(r2)[0][1].Length);
    }

    [Fact]
    public void Header_row_can_be_forced_or_absent()
    {
        using (var r = TableReader.Open(TestData.Bytes("x,y\na,b\n1,2\n", Encoding.UTF8), new TableReadOptions { HeaderRowIndex = 1 }))
        {
            Assert.Equal(["a", "b"], r.Columns);
            Assert.Single(TestData.ReadAll(r));
        }
        using (var r = TableReader.Open(TestData.Bytes("1,2\n3,4\n", Encoding.UTF8), new TableReadOptions { HasHeader = false }))
        {
            Assert.Equal(["column_1", "column_2"], r.Columns);
            Assert.Equal(2, TestData.ReadAll(r).Count);
        }
    }

    [Fact]
    public void Empty_input_gives_no_columns_and_no_rows()
    {
        using var r = TableReader.Open(new MemoryStream());
        Assert.Empty(r.Columns);
        Assert.Empty(TestData.ReadAll(r));
    }

    private static MemoryStream XlsxWithTitleRows(int dataRows = 3)
    {
        var rows = new List<Dictionary<string, object?>>
        {
            new() { ["A"] = "新型コロナウイルス感染症 陽性患者一覧", ["B"] = null, ["C"] = null, ["D"] = null },
            new() { ["A"] = null, ["B"] = null, ["C"] = null, ["D"] = null },
            new() { ["A"] = "No", ["B"] = "公表_年月日", ["C"] = "患者_年代", ["D"] = "件数" },
        };
        for (var i = 1; i <= dataRows; i++)
        {
            rows.Add(new() { ["A"] = i, ["B"] = $"令和2年11月{i}日", ["C"] = "20代", ["D"] = 1000 + i });
        }
        rows.Add(new() { ["A"] = "出典：東京都", ["B"] = null, ["C"] = null, ["D"] = null });
        var ms = new MemoryStream();
        ms.SaveAs(rows, printHeader: false, sheetName: "陽性患者", excelType: ExcelType.XLSX);
        ms.Position = 0;
        return ms;
    }

    [Fact]
    public void Xlsx_with_title_rows_finds_the_header_and_skips_the_source_note()
    {
        using var r = TableReader.Open(XlsxWithTitleRows());
        Assert.Equal(TableFormat.Xlsx, r.Format);
        Assert.Equal("陽性患者", r.SheetName);
        Assert.Equal(2, r.HeaderRowIndex);
        Assert.Equal(["No", "公表_年月日", "患者_年代", "件数"], r.Columns);
        var rows = TestData.ReadAll(r);
        Assert.Equal(3, rows.Count);
        Assert.Equal(["1", "令和2年11月1日", "20代", "1001"], rows[0]);
        Assert.Equal("note", r.SkippedRows.Single().Kind);
        var types = TypeInference.Infer(r.Columns, rows);
        Assert.Equal(ColumnType.Date, types[1].Type);
    }

    [Fact]
    public void Xlsx_from_a_non_seekable_stream_is_buffered()
    {
        using var r = TableReader.Open(new NonSeekableStream(XlsxWithTitleRows()));
        Assert.Equal(3, TestData.ReadAll(r).Count);
    }

    [Fact]
    public void Missing_sheet_is_a_table_read_exception()
    {
        var ex = Assert.Throws<TableReadException>(() => TableReader.Open(XlsxWithTitleRows(), new TableReadOptions { SheetName = "ない" }));
        Assert.Equal("sheet-not-found", ex.Code);
        using var r = TableReader.Open(XlsxWithTitleRows(), new TableReadOptions { SheetName = "陽性患者" });
        Assert.Equal("陽性患者", r.SheetName);
    }

    [Fact]
    public void Truncated_xlsx_is_a_table_read_exception()
    {
        var bytes = XlsxWithTitleRows(200).ToArray();
        foreach (var cut in new[] { 10, bytes.Length / 3, bytes.Length / 2, bytes.Length - 30 })
        {
            var ex = Record.Exception(() =>
            {
                using var r = TableReader.Open(new MemoryStream(bytes[..cut]));
                TestData.ReadAll(r);
            });
            Assert.IsType<TableReadException>(ex);
        }
    }

    [Fact]
    public void Corrupt_xlsx_bytes_are_a_table_read_exception()
    {
        var bytes = XlsxWithTitleRows(50).ToArray();
        var rnd = new Random(42);
        for (var k = 0; k < 30; k++)
        {
            var copy = (byte[])bytes.Clone();
            for (var j = 0; j < 20; j++)
            {
                copy[rnd.Next(4, copy.Length)] ^= (byte)rnd.Next(1, 256);
            }
            var ex = Record.Exception(() =>
            {
                using var r = TableReader.Open(new MemoryStream(copy));
                TestData.ReadAll(r);
            });
            Assert.True(ex is null or TableReadException, ex?.ToString());
        }
    }

    [Fact]
    public void Xlsx_formula_cells_give_their_cached_values()
    {
        var src = XlsxWithTitleRows();
        var ms = new MemoryStream();
        src.CopyTo(ms);
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Update, leaveOpen: true))
        {
            var entry = zip.Entries.Single(e => e.FullName.StartsWith("xl/worksheets/sheet", StringComparison.Ordinal) && e.FullName.EndsWith(".xml", StringComparison.Ordinal));
            string xml;
            using (var rd = new StreamReader(entry.Open()))
            {
                xml = rd.ReadToEnd();
            }
            var patched = System.Text.RegularExpressions.Regex.Replace(xml, "<x:c r=\"D4\"[^>]*>.*?</x:c>|<c r=\"D4\"[^>]*>.*?</c>",
                m => m.Value.StartsWith("<x:", StringComparison.Ordinal)
                    ? "<x:c r=\"D4\"><x:f>SUM(1000,1)</x:f><x:v>1001</x:v></x:c>"
                    : "<c r=\"D4\"><f>SUM(1000,1)</f><v>1001</v></c>");
            Assert.NotEqual(xml, patched);
            entry.Delete();
            var e2 = zip.CreateEntry(entry.FullName);
            using var w = new StreamWriter(e2.Open());
            w.Write(patched);
        }
        ms.Position = 0;
        using var r = TableReader.Open(ms);
        Assert.Equal("1001", TestData.ReadAll(r)[0][3]);
    }

    [Fact]
    public void Workbook_from_a_non_seekable_stream_is_capped()
    {
        var ex = Assert.Throws<TableReadException>(() => TableReader.Open(new NonSeekableStream(XlsxWithTitleRows(2000)), new TableReadOptions { MaxExcelBytes = 70_000, EncodingSampleBytes = 1024 }));
        Assert.Equal("file-too-large", ex.Code);
    }

    [Fact]
    public void Empty_lines_and_blank_rows_before_the_header_are_skipped()
    {
        const string text = "陽性患者一覧\n\n\n番号,日付,人数\n1,2020-11-06,3\n\n2,2020-11-07,4\n注1 人数は速報値\n";
        using var r = TableReader.Open(TestData.Bytes(text, Encoding.UTF8));
        Assert.Equal(["番号", "日付", "人数"], r.Columns);
        Assert.Equal(["陽性患者一覧"], r.TitleRows);
        Assert.Equal(2, TestData.ReadAll(r).Count);
        Assert.Equal(["blank", "note"], r.SkippedRows.Select(s => s.Kind));
    }

    [Fact]
    public void Data_rows_starting_with_a_kanji_like_chu_are_not_notes()
    {
        using var r = TableReader.Open(TestData.Bytes("名前,値\n注射器,\n出典：市,\n", Encoding.UTF8));
        var rows = TestData.ReadAll(r);
        Assert.Single(rows);
        Assert.Equal("注射器", rows[0][0]);
    }

    [Fact]
    public void Zip_bomb_is_rejected_by_the_uncompressed_size_cap()
    {
        var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            var e = zip.CreateEntry("xl/worksheets/sheet1.xml", CompressionLevel.SmallestSize);
            using var s = e.Open();
            var zeros = new byte[1 << 20];
            for (var i = 0; i < 64; i++)
            {
                s.Write(zeros);
            }
        }
        ms.Position = 0;
        var ex = Assert.Throws<TableReadException>(() => TableReader.Open(ms, new TableReadOptions { MaxExcelUncompressedBytes = 16L * 1024 * 1024 }));
        Assert.Equal("zip-bomb", ex.Code);
    }
}
