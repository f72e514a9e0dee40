using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace OpenGov.DataStore;

/// <summary>
/// Encodes rows in PostgreSQL's binary COPY format into a buffer that is written to a raw COPY stream in large
/// chunks: no per-value parameter objects, converter lookups or async state machines (the cost of
/// NpgsqlBinaryImporter.Write for 16 million values). Values are those of the loader's normaliser: string, long,
/// decimal, double, bool, DateOnly, DateTime, TimeOnly, or null.
/// </summary>
public sealed class PgCopyEncoder
{
    private static readonly byte[] Header = [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', (byte)'\n', 0xFF, (byte)'\r', (byte)'\n', 0, 0, 0, 0, 0, 0, 0, 0, 0];
    private static readonly int PgEpochDay = new DateOnly(2000, 1, 1).DayNumber;
    private static readonly long PgEpochTicks = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Unspecified).Ticks;

    private readonly Stream _out;
    private readonly string[] _types;
    private readonly int _flushAt;
    private byte[] _buf;
    private int _pos;

    /// <param name="output">The raw COPY stream.</param>
    /// <param name="types">DataStore types of the columns after "_id" (<see cref="DsTypes"/>).</param>
    public PgCopyEncoder(Stream output, IReadOnlyList<string> types, int bufferBytes = 1 << 18)
    {
        _out = output;
        _types = [.. types];
        _buf = new byte[bufferBytes];
        _flushAt = bufferBytes / 2;
        Header.CopyTo(_buf, 0);
        _pos = Header.Length;
    }

    /// <summary>Appends one row: "_id" and then the values in column order (missing values are null).</summary>
    public void WriteRow(long id, object?[] row)
    {
        // fixed part: field count, _id, and per value a length and at most 16 bytes (numeric is sized separately)
        var need = 2 + 12 + (_types.Length * 20);
        for (var i = 0; i < row.Length && i < _types.Length; i++)
        {
            need += row[i] switch
            {
                string s => Encoding.UTF8.GetMaxByteCount(s.Length),
                decimal => 40,
                null or long or bool or double or DateOnly or DateTime or TimeOnly => 0,
                var v => Encoding.UTF8.GetMaxByteCount(DsTypes.ToText(v).Length),
            };
        }

        Ensure(need);
        var span = _buf.AsSpan();
        BinaryPrimitives.WriteInt16BigEndian(span[_pos..], (short)(_types.Length + 1));
        _pos += 2;
        WriteInt64(id);
        for (var i = 0; i < _types.Length; i++)
        {
            WriteValue(i < row.Length ? row[i] : null, _types[i]);
        }

        if (_pos >= _flushAt)
        {
            _out.Write(_buf, 0, _pos);
            _pos = 0;
        }
    }

    /// <summary>Writes the trailer and everything buffered.</summary>
    public async Task FinishAsync(CancellationToken ct)
    {
        Ensure(2);
        BinaryPrimitives.WriteInt16BigEndian(_buf.AsSpan(_pos), -1);
        _pos += 2;
        await _out.WriteAsync(_buf.AsMemory(0, _pos), ct);
        _pos = 0;
        await _out.FlushAsync(ct);
    }

    private void Ensure(int need)
    {
        if (_pos + need <= _buf.Length)
        {
            return;
        }

        if (_pos > 0)
        {
            _out.Write(_buf, 0, _pos);
            _pos = 0;
        }

        if (need > _buf.Length)
        {
            _buf = new byte[need];
        }
    }

    private void WriteLength(int n)
    {
        BinaryPrimitives.WriteInt32BigEndian(_buf.AsSpan(_pos), n);
        _pos += 4;
    }

    private void WriteInt64(long v)
    {
        WriteLength(8);
        BinaryPrimitives.WriteInt64BigEndian(_buf.AsSpan(_pos), v);
        _pos += 8;
    }

    private void WriteFloat8(double value)
    {
        WriteLength(8);
        BinaryPrimitives.WriteDoubleBigEndian(_buf.AsSpan(_pos), value);
        _pos += 8;
    }

    private void WriteValue(object? v, string type)
    {
        switch (v)
        {
            case null:
                WriteLength(-1);
                return;
            case string s when type is DsTypes.Text:
                WriteText(s);
                return;
            case long l when type is DsTypes.Int:
                WriteInt64(l);
                return;
            case DateOnly d when type is DsTypes.Date:
                WriteLength(4);
                BinaryPrimitives.WriteInt32BigEndian(_buf.AsSpan(_pos), d.DayNumber - PgEpochDay);
                _pos += 4;
                return;
            case DateTime t when type is DsTypes.Timestamp:
                // timestamp without time zone: the wall-clock value (UTC values are stored as their UTC wall clock)
                WriteInt64((t.Ticks - PgEpochTicks) / TimeSpan.TicksPerMicrosecond);
                return;
            case DateOnly d when type is DsTypes.Timestamp:
                WriteInt64((d.ToDateTime(TimeOnly.MinValue).Ticks - PgEpochTicks) / TimeSpan.TicksPerMicrosecond);
                return;
            case bool b when type is DsTypes.Bool:
                WriteLength(1);
                _buf[_pos++] = b ? (byte)1 : (byte)0;
                return;
            case double f when type is DsTypes.Float:
                WriteFloat8(f);
                return;
            case decimal m when type is DsTypes.Float:
                WriteFloat8((double)m);
                return;
            case decimal m when type is DsTypes.Numeric:
                WriteNumeric(m);
                return;
            case long l when type is DsTypes.Numeric:
                WriteNumeric(l);
                return;
            case long l when type is DsTypes.Float:
                WriteFloat8(l);
                return;
            case TimeOnly t when type is DsTypes.Time:
                WriteInt64(t.Ticks / TimeSpan.TicksPerMicrosecond);
                return;
            case string s when type is DsTypes.Json:
                // jsonb binary format: version 1, then the text
                var start = _pos;
                _pos += 4;
                _buf[_pos++] = 1;
                _pos += Encoding.UTF8.GetBytes(s, _buf.AsSpan(_pos));
                BinaryPrimitives.WriteInt32BigEndian(_buf.AsSpan(start), _pos - start - 4);
                return;
            case var other when type is DsTypes.Text:
                WriteText(DsTypes.ToText(other));
                return;
            default:
                throw new InvalidOperationException($"A {v.GetType().Name} value cannot be written to a {type} column");
        }
    }

    private void WriteText(string s)
    {
        var start = _pos;
        _pos += 4;
        var span = s.AsSpan();
        if (span.Contains('\0'))
        {
            // PostgreSQL text cannot hold NUL
            s = s.Replace("\0", "", StringComparison.Ordinal);
            span = s.AsSpan();
        }

        _pos += Encoding.UTF8.GetBytes(span, _buf.AsSpan(_pos));
        BinaryPrimitives.WriteInt32BigEndian(_buf.AsSpan(start), _pos - start - 4);
    }

    /// <summary>numeric's binary form: ndigits, weight, sign, dscale, then base-10000 digits (most significant first).</summary>
    private void WriteNumeric(decimal m)
    {
        Span<char> text = stackalloc char[64];
        if (!m.TryFormat(text, out var n, "0.############################", CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("decimal format");
        }

        // decimal keeps its scale (1.50 has scale 2): numeric's display scale
        var scale = m.Scale;
        var s = text[..n];
        var negative = s.Length > 0 && s[0] == '-';
        if (negative)
        {
            s = s[1..];
        }

        var point = s.IndexOf('.');
        var intPart = point < 0 ? s : s[..point];
        var fracPart = point < 0 ? [] : s[(point + 1)..];
        intPart = intPart.TrimStart('0');

        // digits of the integer part grouped by 4 from the point, of the fraction by 4 from the point (zero-padded)
        var intGroups = (intPart.Length + 3) / 4;
        var fracGroups = (fracPart.Length + 3) / 4;
        Span<short> digits = stackalloc short[intGroups + fracGroups];
        for (var g = 0; g < intGroups; g++)
        {
            var end = intPart.Length - ((intGroups - 1 - g) * 4);
            var begin = Math.Max(0, end - 4);
            short d = 0;
            for (var k = begin; k < end; k++)
            {
                d = (short)((d * 10) + (intPart[k] - '0'));
            }

            digits[g] = d;
        }

        for (var g = 0; g < fracGroups; g++)
        {
            short d = 0;
            for (var k = 0; k < 4; k++)
            {
                var idx = (g * 4) + k;
                d = (short)((d * 10) + (idx < fracPart.Length ? fracPart[idx] - '0' : 0));
            }

            digits[intGroups + g] = d;
        }

        var weight = intGroups - 1;
        var first = 0;
        while (first < digits.Length && digits[first] == 0)
        {
            first++;
            weight--;
        }

        var last = digits.Length;
        while (last > first && digits[last - 1] == 0)
        {
            last--;
        }

        var count = last - first;
        if (count == 0)
        {
            weight = 0;
            negative = false;
        }

        WriteLength(8 + (count * 2));
        var span = _buf.AsSpan(_pos);
        BinaryPrimitives.WriteInt16BigEndian(span, (short)count);
        BinaryPrimitives.WriteInt16BigEndian(span[2..], (short)weight);
        BinaryPrimitives.WriteUInt16BigEndian(span[4..], negative ? (ushort)0x4000 : (ushort)0);
        BinaryPrimitives.WriteInt16BigEndian(span[6..], (short)scale);
        for (var i = 0; i < count; i++)
        {
            BinaryPrimitives.WriteInt16BigEndian(span[(8 + (i * 2))..], digits[first + i]);
        }

        _pos += 8 + (count * 2);
    }
}
