using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace OpenGov.Tabular.Tests;

/// <summary>Property-based fuzzing: random input never raises anything but <see cref="TableReadException"/>, and never hangs.</summary>
public class FuzzTests
{
    private static readonly Config Config = Config.QuickThrowOnFailure.WithMaxTest(300);

    private static bool ReadsOrFailsCleanly(byte[] bytes, TableReadOptions? options = null)
    {
        try
        {
            using var r = TableReader.Open(new MemoryStream(bytes), options);
            foreach (var row in r.Rows)
            {
                _ = row.Length;
            }
            var types = TypeInference.Infer(r.Columns, []);
            return types.Count == r.Columns.Count;
        }
        catch (TableReadException)
        {
            return true;
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task Random_bytes_never_crash_the_reader() =>
        await Task.Run(() => Check.One(Config, Prop.ForAll<byte[]>(b => ReadsOrFailsCleanly(b))), TestContext.Current.CancellationToken);

    [Fact(Timeout = 120_000)]
    public async Task Random_text_in_japanese_encodings_never_crashes_the_reader() =>
        await Task.Run(() => Check.One(Config, Prop.ForAll<string>(s =>
        {
            s ??= "";
            return ReadsOrFailsCleanly(TestData.Cp932.GetBytes(s))
                && ReadsOrFailsCleanly(TestData.EucJp.GetBytes(s))
                && ReadsOrFailsCleanly(Encoding.UTF8.GetBytes(s), new TableReadOptions { MaxColumns = 8, MaxFieldChars = 16, RaggedRows = RaggedRowPolicy.Error });
        })), TestContext.Current.CancellationToken);

    [Fact(Timeout = 120_000)]
    public async Task Random_xlsx_prefix_bytes_never_crash_the_reader() =>
        await Task.Run(() => Check.One(Config, Prop.ForAll<byte[]>(b =>
            ReadsOrFailsCleanly([(byte)'P', (byte)'K', 3, 4, .. b ?? []]) &&
            ReadsOrFailsCleanly([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, .. b ?? []]))), TestContext.Current.CancellationToken);

    [Fact(Timeout = 120_000)]
    public async Task Mutated_real_csv_never_crashes_the_reader()
    {
        var bytes = File.ReadAllBytes(TestData.Fixture(TestData.TokyoCallCenter));
        var sjis = TestData.Cp932.GetBytes(new UTF8Encoding(false).GetString(bytes, 3, bytes.Length - 3));
        await Task.Run(() => Check.One(Config.WithMaxTest(200), Prop.ForAll(
            Gen.ArrayOf(Gen.Choose(0, int.MaxValue)).ToArbitrary(),
            flips =>
            {
                var a = (byte[])bytes.Clone();
                var b = (byte[])sjis.Clone();
                for (var i = 0; i + 1 < flips.Length; i += 2)
                {
                    a[flips[i] % a.Length] = (byte)flips[i + 1];
                    b[flips[i] % b.Length] = (byte)(flips[i + 1] >> 8);
                }
                var cut = flips.Length > 0 ? flips[0] % a.Length : a.Length;
                return ReadsOrFailsCleanly(a) && ReadsOrFailsCleanly(b) && ReadsOrFailsCleanly(a[..cut])
                    && ReadsOrFailsCleanly(a, new TableReadOptions { RaggedRows = RaggedRowPolicy.Error, MaxFieldChars = 8, MaxColumns = 6 });
            })), TestContext.Current.CancellationToken);
    }

    [Fact(Timeout = 120_000)]
    public async Task Random_strings_never_crash_the_date_parser_and_normaliser() =>
        await Task.Run(() => Check.One(Config.WithMaxTest(2000), Prop.ForAll<string>(s =>
        {
            _ = JapaneseDate.TryParseDate(s, out _);
            _ = JapaneseDate.TryParseDate(s, new JapaneseDateOptions { AllowEraOverflow = true }, out _);
            _ = JapaneseDate.TryParseTimestamp(s, out _);
            _ = JapaneseDate.TryParseFiscalYear(s, out _, out _);
            _ = JapaneseNumber.TryParseInteger(s, out _);
            _ = JapaneseNumber.TryParseDecimal(s, out _);
            _ = TextNormalizer.Normalize(s);
            _ = LocalGovCode.IsValid(s);
            foreach (var t in Enum.GetValues<ColumnType>())
            {
                _ = ColumnNormalizer.TryConvert(s, t, null, out _);
            }
            return true;
        })), TestContext.Current.CancellationToken);

    [Fact(Timeout = 120_000)]
    public async Task Era_like_strings_never_crash_the_date_parser() =>
        await Task.Run(() => Check.One(Config.WithMaxTest(3000), Prop.ForAll(
            Gen.Elements("令和", "平成", "昭和", "大正", "明治", "R", "H", "S", "T", "M", "").ToArbitrary(),
            Gen.Choose(-5, 120).ToArbitrary(), Gen.Choose(0, (16 * 35) - 1).ToArbitrary(),
            (era, y, md) =>
            {
                var (m, d) = ((md / 35) - 1, (md % 35) - 1);
                var a = JapaneseDate.TryParseDate($"{era}{y}年{m}月{d}日", out var x);
                var b = JapaneseDate.TryParseDate($"{era}{y}.{m}.{d}", out var z);
                return (!a || x.Year >= 1868) && (!b || z.Year >= 1868 || era == "");
            })), TestContext.Current.CancellationToken);
}
