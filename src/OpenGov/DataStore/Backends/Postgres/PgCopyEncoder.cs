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
    private readonly Kind[] _kinds;
    private readonly int _flushAt;
    private byte[] _buf;
    private int _pos;

    // the column types as a byte per column: the per-value switch compares no strings
    private enum Kind : byte
    {
        Text,
        Int,
        Numeric,
        Float,
        Bool,
        Date,
        Timestamp,
        Time,
        Json,
    }

    /// <param name="output">The raw COPY stream.</param>
    /// <param name="types">DataStore types of the columns after "_id" (<see cref="DsTypes"/>).</param>
    public PgCopyEncoder(Stream output, IReadOnlyList<string> types, int bufferBytes = 1 << 18)
    {
        _out = output;
        _kinds = [.. types.Select(t => t switch
        {
            DsTypes.Text => Kind.Text,
            DsTypes.Int => Kind.Int,
            DsTypes.Numeric => Kind.Numeric,
            DsTypes.Float => Kind.Float,
            DsTypes.Bool => Kind.Bool,
            DsTypes.Date => Kind.Date,
            DsTypes.Timestamp => Kind.Timestamp,
            DsTypes.Time => Kind.Time,
            DsTypes.Json => Kind.Json,
            _ => throw new ArgumentException($"unknown DataStore type {t}", nameof(types)),
        })];
        _buf = new byte[bufferBytes];
        _flushAt = bufferBytes / 2;
        Header.CopyTo(_buf, 0);
        _pos = Header.Length;
    }

    /// <summary>Appends one row: "_id" and then the values in column order (missing values are null).</summary>
    public void WriteRow(long id, object?[] row)
    {
        var kinds = _kinds;
        // fixed part: field count, _id, and per value a length and at most 16 bytes (numeric is sized separately);
        // strings: at most 3 UTF-8 bytes per UTF-16 char
        var need = 2 + 12 + (kinds.Length * 20);
        for (var i = 0; i < row.Length && i < kinds.Length; i++)
        {
            var v = row[i];
            if (v is string s)
            {
                need += (s.Length * 3) + 1;
            }
            else if (v is decimal)
            {
                need += 40;
            }
            else if (v is not null && kinds[i] == Kind.Text && v is not long and not bool and not double and not DateOnly and not DateTime and not TimeOnly)
            {
                need += Encoding.UTF8.GetMaxByteCount(DsTypes.ToText(v).Length);
            }
            else if (v is not null && kinds[i] == Kind.Text)
            {
                need += 64; // the text form of a number, date or time
            }
        }

        Ensure(need);
        BinaryPrimitives.WriteInt16BigEndian(_buf.AsSpan(_pos), (short)(kinds.Length + 1));
        _pos += 2;
        WriteInt64(id);
        for (var i = 0; i < kinds.Length; i++)
        {
            WriteValue(i < row.Length ? row[i] : null, kinds[i]);
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

    private void WriteValue(object? v, Kind kind)
    {
        if (v is null)
        {
            WriteLength(-1);
            return;
        }

        switch (kind)
        {
            case Kind.Text when v is string s:
                WriteText(s);
                return;
            case Kind.Int when v is long l:
                WriteInt64(l);
                return;
            case Kind.Date when v is DateOnly d:
                WriteLength(4);
                BinaryPrimitives.WriteInt32BigEndian(_buf.AsSpan(_pos), d.DayNumber - PgEpochDay);
                _pos += 4;
                return;
            case Kind.Timestamp when v is DateTime t:
                // timestamp without time zone: the wall-clock value (UTC values are stored as their UTC wall clock)
                WriteInt64((t.Ticks - PgEpochTicks) / TimeSpan.TicksPerMicrosecond);
                return;
            case Kind.Timestamp when v is DateOnly d:
                WriteInt64((d.ToDateTime(TimeOnly.MinValue).Ticks - PgEpochTicks) / TimeSpan.TicksPerMicrosecond);
                return;
            case Kind.Bool when v is bool b:
                WriteLength(1);
                _buf[_pos++] = b ? (byte)1 : (byte)0;
                return;
            case Kind.Float when v is double f:
                WriteFloat8(f);
                return;
            case Kind.Float when v is decimal m:
                WriteFloat8((double)m);
                return;
            case Kind.Float when v is long l:
                WriteFloat8(l);
                return;
            case Kind.Numeric when v is decimal m:
                WriteNumeric(m);
                return;
            case Kind.Numeric when v is long l:
                WriteNumeric(l);
                return;
            case Kind.Time when v is TimeOnly t:
                WriteInt64(t.Ticks / TimeSpan.TicksPerMicrosecond);
                return;
            case Kind.Json when v is string s:
                // jsonb binary format: version 1, then the text
                var start = _pos;
                _pos += 4;
                _buf[_pos++] = 1;
                _pos += Encoding.UTF8.GetBytes(s, _buf.AsSpan(_pos));
                BinaryPrimitives.WriteInt32BigEndian(_buf.AsSpan(start), _pos - start - 4);
                return;
            case Kind.Text:
                WriteText(DsTypes.ToText(v));
                return;
            default:
                throw new InvalidOperationException($"A {v.GetType().Name} value cannot be written to a {kind.ToString().ToLowerInvariant()} column");
        }
    }

    private void WriteText(string s)
    {
        var start = _pos;
        _pos += 4;
        // no NUL here (PostgreSQL text cannot hold it): TableReader removes and reports them for every engine
        _pos += Encoding.UTF8.GetBytes(s.AsSpan(), _buf.AsSpan(_pos));
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
