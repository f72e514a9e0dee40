using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace OpenGov.Hosting;

/// <summary>
/// Kestrel refuses a request line with bytes above 0x7F (raw UTF-8 such as <c>GET /dataset?q=コロナ</c>, which
/// curl --path-as-is, scripts and some proxies send) with a 400 and an empty body, before any middleware runs. This
/// connection middleware percent-encodes those bytes in each HTTP/1.x request line, as a browser would have, and
/// leaves everything else as sent. It follows the messages on the connection (Content-Length and chunked bodies)
/// so that only request lines are touched; anything it does not follow (TLS, HTTP/2, upgrades, CONNECT, a head it
/// cannot read) is passed through unchanged from then on.
/// </summary>
public static class RequestLineEscaping
{
    private const int MaxHead = 64 * 1024;

    public static void Use(ListenOptions listen) => listen.Use(next => async connection =>
    {
        var transport = connection.Transport;
        var pipe = new Pipe(new PipeOptions(useSynchronizationContext: false));
        var pump = PumpAsync(transport.Input, pipe.Writer);
        connection.Transport = new Duplex(pipe.Reader, transport.Output);
        try
        {
            await next(connection);
        }
        finally
        {
            connection.Transport = transport;
            await pipe.Reader.CompleteAsync();
            transport.Input.CancelPendingRead();
            await pump;
        }
    });

    private sealed class Duplex(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }

    private enum Mode
    {
        Head,
        Body,
        ChunkSize,
        ChunkTrailer,
        Through,
    }

    private static async Task PumpAsync(PipeReader input, PipeWriter output)
    {
        var mode = Mode.Head;
        long remaining = 0; // body bytes to copy before the next head (Body mode)
        var afterBody = Mode.Head;
        Exception? error = null;
        try
        {
            while (true)
            {
                var result = await input.ReadAsync();
                if (result.IsCanceled)
                {
                    break;
                }

                var buffer = result.Buffer;
                while (!buffer.IsEmpty)
                {
                    if (mode == Mode.Through)
                    {
                        Copy(buffer, output);
                        buffer = buffer.Slice(buffer.End);
                    }
                    else if (mode == Mode.Body)
                    {
                        var n = Math.Min(remaining, buffer.Length);
                        Copy(buffer.Slice(0, n), output);
                        buffer = buffer.Slice(n);
                        remaining -= n;
                        if (remaining == 0)
                        {
                            mode = afterBody;
                        }
                    }
                    else if (mode == Mode.Head)
                    {
                        if (FirstByte(buffer) is 0x16 || StartsWith(buffer, "PRI * HTTP/2"u8))
                        {
                            mode = Mode.Through; // TLS or HTTP/2 with prior knowledge
                            continue;
                        }

                        if (Find(buffer, "\r\n\r\n"u8) is not { } end)
                        {
                            if (buffer.Length > MaxHead)
                            {
                                mode = Mode.Through; // Kestrel answers what it makes of it
                                continue;
                            }

                            break; // wait for the rest of the head
                        }

                        var head = buffer.Slice(0, end + 4).ToArray();
                        buffer = buffer.Slice(end + 4);
                        (mode, remaining) = WriteHead(head, output);
                        afterBody = mode == Mode.Body ? Mode.Head : afterBody;
                    }
                    else if (mode == Mode.ChunkSize)
                    {
                        if (Find(buffer, "\r\n"u8) is not { } eol)
                        {
                            mode = buffer.Length > 1024 ? Mode.Through : mode;
                            if (mode == Mode.ChunkSize)
                            {
                                break;
                            }

                            continue;
                        }

                        var line = buffer.Slice(0, eol + 2);
                        var text = Encoding.ASCII.GetString(line.Slice(0, eol).ToArray());
                        Copy(line, output);
                        buffer = buffer.Slice(eol + 2);
                        var size = text.Split(';')[0].Trim();
                        if (!long.TryParse(size, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var chunk) || chunk < 0)
                        {
                            mode = Mode.Through;
                        }
                        else if (chunk == 0)
                        {
                            mode = Mode.ChunkTrailer;
                        }
                        else
                        {
                            (mode, remaining, afterBody) = (Mode.Body, chunk + 2, Mode.ChunkSize);
                        }
                    }
                    else
                    {
                        // trailer lines after the last chunk, up to an empty line
                        if (Find(buffer, "\r\n"u8) is not { } eol)
                        {
                            mode = buffer.Length > 8192 ? Mode.Through : mode;
                            if (mode == Mode.ChunkTrailer)
                            {
                                break;
                            }

                            continue;
                        }

                        Copy(buffer.Slice(0, eol + 2), output);
                        buffer = buffer.Slice(eol + 2);
                        mode = eol == 0 ? Mode.Head : Mode.ChunkTrailer;
                    }
                }

                input.AdvanceTo(buffer.Start, result.Buffer.End);
                var flush = await output.FlushAsync();
                if (flush.IsCompleted || result.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ConnectionResetException or ObjectDisposedException or InvalidOperationException)
        {
            error = e;
        }

        await output.CompleteAsync(error);
    }

    /// <summary>Writes a request's head with its request line escaped; returns how its body is framed.</summary>
    private static (Mode Mode, long Body) WriteHead(byte[] head, PipeWriter output)
    {
        var lineEnd = head.AsSpan().IndexOf("\r\n"u8);
        var line = head.AsSpan(0, lineEnd);
        var span = output.GetSpan(head.Length + (line.Length * 2));
        var w = 0;
        foreach (var b in line)
        {
            if (b >= 0x80)
            {
                span[w++] = (byte)'%';
                span[w++] = (byte)"0123456789ABCDEF"[b >> 4];
                span[w++] = (byte)"0123456789ABCDEF"[b & 0xF];
            }
            else
            {
                span[w++] = b;
            }
        }

        head.AsSpan(lineEnd).CopyTo(span[w..]);
        output.Advance(w + head.Length - lineEnd);

        if (line.StartsWith("CONNECT "u8))
        {
            return (Mode.Through, 0);
        }

        long length = 0;
        var chunked = false;
        foreach (var raw in Encoding.Latin1.GetString(head, lineEnd + 2, head.Length - lineEnd - 2).Split("\r\n"))
        {
            var colon = raw.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var name = raw[..colon].Trim();
            var value = raw[(colon + 1)..].Trim();
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out length))
                {
                    return (Mode.Through, 0);
                }
            }
            else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                chunked = value.EndsWith("chunked", StringComparison.OrdinalIgnoreCase);
                if (!chunked)
                {
                    return (Mode.Through, 0);
                }
            }
            else if (name.Equals("Upgrade", StringComparison.OrdinalIgnoreCase))
            {
                return (Mode.Through, 0); // websockets and h2c: not HTTP/1 messages after this one
            }
        }

        return chunked ? (Mode.ChunkSize, 0) : length > 0 ? (Mode.Body, length) : (Mode.Head, 0);
    }

    private static void Copy(ReadOnlySequence<byte> data, PipeWriter output)
    {
        foreach (var segment in data)
        {
            output.Write(segment.Span);
        }
    }

    private static byte? FirstByte(ReadOnlySequence<byte> buffer) => buffer.IsEmpty ? null : buffer.FirstSpan[0];

    private static bool StartsWith(ReadOnlySequence<byte> buffer, ReadOnlySpan<byte> prefix)
    {
        if (buffer.Length < prefix.Length)
        {
            return false;
        }

        Span<byte> start = stackalloc byte[prefix.Length];
        buffer.Slice(0, prefix.Length).CopyTo(start);
        return start.SequenceEqual(prefix);
    }

    private static long? Find(ReadOnlySequence<byte> buffer, ReadOnlySpan<byte> needle)
    {
        var reader = new SequenceReader<byte>(buffer);
        return reader.TryReadTo(out ReadOnlySequence<byte> before, needle, advancePastDelimiter: false) ? before.Length : null;
    }
}
