using System.Text;

namespace OpenGov.Tabular.Tests;

internal static class TestData
{
    static TestData() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static Encoding Cp932 => Encoding.GetEncoding(932);

    public static Encoding EucJp => Encoding.GetEncoding(51932);

    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    public const string TokyoPatients = "130001_tokyo_covid19_patients.csv";
    public const string TokyoCallCenter = "130001_tokyo_covid19_call_center.csv";

    public static MemoryStream Bytes(string text, Encoding encoding, bool bom = false)
    {
        var ms = new MemoryStream();
        if (bom)
        {
            ms.Write(encoding switch
            {
                UnicodeEncoding u when u.GetBytes("a")[0] == 0 => [0xFE, 0xFF],
                UnicodeEncoding => [0xFF, 0xFE],
                UTF8Encoding => [0xEF, 0xBB, 0xBF],
                _ => encoding.GetPreamble(),
            });
        }
        ms.Write(encoding.GetBytes(text));
        ms.Position = 0;
        return ms;
    }

    public static List<string[]> ReadAll(TableReadResult r) => [.. r.Rows];
}

/// <summary>A stream that cannot seek, like an HTTP request body.</summary>
internal sealed class NonSeekableStream(Stream inner) : Stream
{
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
