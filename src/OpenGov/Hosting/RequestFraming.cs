using System.Buffers;

namespace OpenGov.Hosting;

/// <summary>
/// Follows the HTTP/1.x messages on one connection as Kestrel frames them, so that <see cref="RequestLineEscaping"/>
/// knows which bytes are a request line: a request line ends at the first LF (CR optional, as Kestrel allows), a head
/// at an empty line (CRLF or bare LF), a body after Content-Length bytes or after a strict chunked encoding. Anything
/// it is not certain Kestrel reads the same way (two lengths, another transfer coding, an upgrade, CONNECT, obsolete
/// line folding, TLS, the HTTP/2 preface, an over-long line) puts it in <see cref="Stopped"/> for the rest of the
/// connection: from then on it never asks for a change, and Kestrel answers the bytes as they were sent.
/// </summary>
internal sealed class RequestFraming
{
    internal const int MaxLine = 64 * 1024;
    private const int MaxChunkLine = 4 * 1024;

    private enum State
    {
        RequestLine,
        Headers,
        Body,
        ChunkSize,
        ChunkData,
        ChunkDataEnd,
        Trailers,
        Stopped,
    }

    private State state = State.RequestLine;
    private long remaining;
    private int headBytes;
    private long? contentLength;
    private bool chunked;
    private bool unsure;

    /// <summary>No change will be asked for on this connection any more.</summary>
    public bool Stopped => state == State.Stopped;

    /// <summary>
    /// Reads as far into <paramref name="data"/> as it can. Returns how many bytes it has passed; when it stops before
    /// a complete request line holding bytes above 0x7F, <paramref name="line"/> is that line's length (LF included)
    /// and the line is not yet passed: call <see cref="TakeEscapedLine"/> to pass it.
    /// </summary>
    public long Advance(ReadOnlySequence<byte> data, out int line)
    {
        line = 0;
        var reader = new SequenceReader<byte>(data);
        while (!reader.End && state != State.Stopped)
        {
            var start = reader.Consumed;
            switch (state)
            {
                case State.Body:
                case State.ChunkData:
                    var n = Math.Min(remaining, reader.Remaining);
                    reader.Advance(n);
                    remaining -= n;
                    if (remaining == 0)
                    {
                        state = state == State.Body ? State.RequestLine : State.ChunkDataEnd;
                    }

                    break;
                case State.ChunkDataEnd:
                    if (reader.Remaining < 2)
                    {
                        return start;
                    }

                    state = reader.IsNext("\r\n"u8, advancePast: true) ? State.ChunkSize : State.Stopped;
                    break;
                case State.RequestLine:
                    if (!Tchar(reader.CurrentSpan[reader.CurrentSpanIndex]))
                    {
                        state = State.Stopped; // TLS, a stray CRLF, binary: Kestrel decides alone
                        return start;
                    }

                    if (!TryReadLine(ref reader, MaxLine, out var requestLine))
                    {
                        return start;
                    }

                    if (!RequestLine(requestLine, out var escape))
                    {
                        state = State.Stopped;
                        return start;
                    }

                    if (escape)
                    {
                        line = (int)(reader.Consumed - start);
                        return start;
                    }

                    StartHead(requestLine);
                    break;
                case State.Headers:
                    if (!TryReadLine(ref reader, MaxLine - headBytes, out var header))
                    {
                        return start;
                    }

                    headBytes += (int)(reader.Consumed - start);
                    Header(header);
                    break;
                case State.ChunkSize:
                    if (!TryReadLine(ref reader, MaxChunkLine, out var size))
                    {
                        return start;
                    }

                    ChunkSize(size);
                    break;
                case State.Trailers:
                    if (!TryReadLine(ref reader, MaxLine, out var trailer))
                    {
                        return start;
                    }

                    state = trailer.Length == 0 || trailer[^1] != '\r' || trailer.IndexOf((byte)'\r') != trailer.Length - 1
                        ? State.Stopped // only CRLF-ended trailer lines are followed
                        : trailer.Length == 1 ? State.RequestLine : State.Trailers;
                    break;
            }
        }

        return reader.Consumed;
    }

    /// <summary>Passes the request line <see cref="Advance"/> stopped at and returns it percent-encoded.</summary>
    public byte[] TakeEscapedLine(ReadOnlySequence<byte> line)
    {
        var raw = line.ToArray();
        var high = 0;
        foreach (var b in raw)
        {
            high += b >= 0x80 ? 1 : 0;
        }

        var escaped = new byte[raw.Length + (high * 2)];
        var w = 0;
        foreach (var b in raw)
        {
            if (b >= 0x80)
            {
                escaped[w++] = (byte)'%';
                escaped[w++] = (byte)"0123456789ABCDEF"[b >> 4];
                escaped[w++] = (byte)"0123456789ABCDEF"[b & 0xF];
            }
            else
            {
                escaped[w++] = b;
            }
        }

        StartHead(raw.AsSpan(0, raw.Length - 1));
        return escaped;
    }

    /// <summary>Reads up to the next LF; false (reader unmoved) if it has not arrived, or stops past the limit.</summary>
    private bool TryReadLine(ref SequenceReader<byte> reader, int limit, out ReadOnlySpan<byte> line)
    {
        var mark = reader;
        if (reader.TryReadTo(out line, (byte)'\n'))
        {
            if (line.Length < limit)
            {
                return true;
            }
        }
        else if (reader.Remaining < limit)
        {
            return false;
        }

        reader = mark;
        state = State.Stopped;
        return false;
    }

    /// <summary>method SP target SP HTTP/1.x [CR]; escape when only the target holds bytes above 0x7F.</summary>
    private static bool RequestLine(ReadOnlySpan<byte> line, out bool escape)
    {
        escape = false;
        if (line.EndsWith("\r"u8))
        {
            line = line[..^1];
        }

        var sp = line.IndexOf((byte)' ');
        if (sp <= 0 || line[..sp].ContainsAnyExcept(Tchars) || line.Length < sp + 11 || !line.EndsWith(" HTTP/1.1"u8) && !line.EndsWith(" HTTP/1.0"u8))
        {
            return false;
        }

        var target = line[(sp + 1)..^9];
        if (target.IsEmpty || target.Contains((byte)' ') || target.Contains((byte)'\r'))
        {
            return false;
        }

        escape = target.IndexOfAnyInRange((byte)0x80, (byte)0xFF) >= 0;
        return true;
    }

    private void StartHead(ReadOnlySpan<byte> requestLine)
    {
        (state, headBytes, contentLength, chunked, unsure) = (State.Headers, 0, null, false, false);
        unsure = requestLine.StartsWith("CONNECT "u8);
    }

    private void Header(ReadOnlySpan<byte> line)
    {
        if (line.EndsWith("\r"u8))
        {
            line = line[..^1];
        }

        if (line.IsEmpty)
        {
            EndHead();
            return;
        }

        var colon = line.IndexOf((byte)':');
        if (colon <= 0 || line[0] is (byte)' ' or (byte)'\t' || line.Contains((byte)'\r'))
        {
            state = State.Stopped; // folding, no name, a bare CR: Kestrel refuses it; nothing to follow
            return;
        }

        var name = line[..colon];
        var value = line[(colon + 1)..].Trim(" \t"u8);
        if (Is(name, "content-length"u8))
        {
            unsure |= contentLength is not null || value.IsEmpty || value.Length > 18 || value.ContainsAnyExceptInRange((byte)'0', (byte)'9');
            contentLength = unsure ? 0 : long.Parse(value, provider: System.Globalization.CultureInfo.InvariantCulture);
        }
        else if (Is(name, "transfer-encoding"u8))
        {
            unsure |= chunked || !Is(value, "chunked"u8);
            chunked = true;
        }
        else if (Is(name, "upgrade"u8) || Is(name, "connection"u8) && Mentions(value, "upgrade"u8))
        {
            unsure = true; // websockets: not HTTP/1 messages after this one
        }
    }

    private void EndHead()
    {
        if (unsure || chunked && contentLength is not null)
        {
            state = State.Stopped;
        }
        else if (chunked)
        {
            state = State.ChunkSize;
        }
        else
        {
            remaining = contentLength ?? 0;
            state = remaining > 0 ? State.Body : State.RequestLine;
        }
    }

    private void ChunkSize(ReadOnlySpan<byte> line)
    {
        // hex digits, an optional extension, CRLF: what Kestrel accepts since its strict chunk parsing
        var digits = line.IndexOfAnyExcept(Hex);
        if (digits is <= 0 or > 15 || line[^1] != '\r' || line.IndexOf((byte)'\r') != line.Length - 1 || line[digits] is not ((byte)';' or (byte)'\r'))
        {
            state = State.Stopped;
            return;
        }

        remaining = long.Parse(line[..digits], System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture);
        state = remaining == 0 ? State.Trailers : State.ChunkData;
    }

    private static bool Is(ReadOnlySpan<byte> value, ReadOnlySpan<byte> lower) => System.Text.Ascii.EqualsIgnoreCase(value, lower);

    private static bool Mentions(ReadOnlySpan<byte> value, ReadOnlySpan<byte> lower)
    {
        for (var i = 0; i + lower.Length <= value.Length; i++)
        {
            if (Is(value.Slice(i, lower.Length), lower))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Tchar(byte b) => Tchars.Contains(b);

    private static readonly SearchValues<byte> Tchars =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    private static readonly SearchValues<byte> Hex = SearchValues.Create("0123456789ABCDEFabcdef"u8);
}
