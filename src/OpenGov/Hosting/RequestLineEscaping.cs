using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace OpenGov.Hosting;

/// <summary>
/// Kestrel refuses a request line with bytes above 0x7F (raw UTF-8 such as <c>GET /dataset?q=コロナ</c>, which
/// curl --path-as-is, scripts and some proxies send) with a 400 and an empty body, before any middleware runs, and has
/// no option to accept it (docs/decisions/0009). This connection middleware hands Kestrel such a request line
/// percent-encoded, as a browser would have sent it, and every other byte as it came, without copying: Kestrel reads
/// the transport's own buffers, cut short where an escaped line must be put in or a line has not fully arrived
/// (<see cref="RequestFraming"/> says where the request lines are). When it cannot follow the connection it steps
/// aside for good and Kestrel reads the transport directly.
/// </summary>
public static class RequestLineEscaping
{
    public static void Use(ListenOptions listen) => listen.Use(next => async connection =>
    {
        var transport = connection.Transport;
        connection.Transport = new Duplex(new EscapingReader(transport.Input), transport.Output);
        try
        {
            await next(connection);
        }
        finally
        {
            connection.Transport = transport;
        }
    });

    private sealed class Duplex(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}

/// <summary>
/// The transport's reader as Kestrel should see it. Offsets (consumed, scanned, lineEnd, end) count bytes from the
/// start of the connection. While no escaped line is at the front, what Kestrel gets is a slice of the transport's
/// buffer, so its positions are the transport's; with one at the front it gets the escaped line followed by the
/// transport's bytes after the line, in segments of its own that map positions back.
/// </summary>
internal sealed class EscapingReader(PipeReader inner) : PipeReader
{
    private readonly RequestFraming framing = new();
    private ReadOnlySequence<byte> buffer; // the transport's last buffer; starts at `consumed`
    private long consumed; // the transport's first unconsumed byte
    private long scanned; // framing has passed the bytes before this
    private int held; // > 0: a line of this length at `scanned` must be escaped before it is shown
    private byte[]? escaped; // the escaped form of [consumed, lineEnd), while it is at the front
    private int escapedTaken;
    private long lineEnd;
    private long end; // end of what was last shown
    private bool cut; // what was last shown stopped before the transport's end
    private bool through; // steps aside: Kestrel reads the transport directly

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        if (through)
        {
            return inner.ReadAsync(cancellationToken);
        }

        var read = inner.ReadAsync(cancellationToken);
        return read.IsCompletedSuccessfully ? new(Show(read.Result)) : Later(read);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ReadResult> Later(ValueTask<ReadResult> read) => Show(await read);

    public override bool TryRead(out ReadResult result)
    {
        if (!inner.TryRead(out result))
        {
            return false;
        }

        result = through ? result : Show(result);
        return true;
    }

    private ReadResult Show(ReadResult read)
    {
        buffer = read.Buffer;
        var all = consumed + buffer.Length;
        if (escaped is null && scanned < consumed)
        {
            through = true; // Kestrel framed the messages otherwise: step aside
            return read;
        }

        if (held == 0 && !framing.Stopped)
        {
            scanned += framing.Advance(buffer.Slice(scanned - consumed), out held);
        }

        if (escaped is null && held == 0 && framing.Stopped)
        {
            through = true; // nothing more to escape on this connection
            return read;
        }

        if (escaped is null && held > 0 && scanned == consumed)
        {
            escaped = framing.TakeEscapedLine(buffer.Slice(0, held));
            (escapedTaken, lineEnd, scanned, held) = (0, consumed + held, consumed + held, 0);
            scanned += framing.Advance(buffer.Slice(scanned - consumed), out held);
        }

        // only what framing has passed: a half-arrived request line is shown when it is whole, escaped or not
        // (at the connection's end all of it: nothing more is coming to make that line whole)
        end = held > 0 || !(framing.Stopped || read.IsCompleted) ? scanned : all;
        cut = end < all;
        var shown = escaped is null ? buffer.Slice(0, end - consumed) : Joined(escaped.AsMemory(escapedTaken), buffer.Slice(lineEnd - consumed, end - lineEnd));
        return new ReadResult(shown, read.IsCanceled, read.IsCompleted && !cut);
    }

    public override void AdvanceTo(SequencePosition consumedTo) => AdvanceTo(consumedTo, consumedTo);

    public override void AdvanceTo(SequencePosition consumedTo, SequencePosition examinedTo)
    {
        if (through)
        {
            inner.AdvanceTo(consumedTo, examinedTo);
            return;
        }

        long c, e;
        if (escaped is null)
        {
            c = consumed + buffer.Slice(0, consumedTo).Length;
            e = consumed + buffer.Slice(0, examinedTo).Length;
        }
        else
        {
            c = Offset(consumedTo, out var taken);
            e = Offset(examinedTo, out _);
            if (c == consumed)
            {
                escapedTaken += taken;
            }
            else
            {
                escaped = null;
            }
        }

        // Kestrel looked at all that was shown: when what was held back is a line not yet whole, the transport must
        // wait for more bytes (told it has examined them all); when it is a line waiting to be escaped, the next read
        // must come at once and show it.
        var examined = e == end && held == 0 ? buffer.End : buffer.GetPosition(e - consumed);
        inner.AdvanceTo(buffer.GetPosition(c - consumed), examined);
        consumed = c;

        // Kestrel wants more before the line held back: it frames this connection otherwise than RequestFraming, so
        // that line (and all after it) goes to Kestrel as sent.
        if (cut && held > 0 && e == end && c < end && escapedTaken == 0)
        {
            (through, escaped, held) = (true, null, 0);
        }
    }

    /// <summary>The transport offset of a position in a joined sequence (inside the escaped line: its start).</summary>
    private long Offset(SequencePosition position, out int taken)
    {
        var part = (Part)position.GetObject()!;
        var index = position.GetInteger();
        taken = 0;
        if (part.Start >= 0)
        {
            return part.Start + index;
        }

        if (escapedTaken + index == escaped!.Length)
        {
            return lineEnd;
        }

        taken = index;
        return consumed;
    }

    private ReadOnlySequence<byte> Joined(ReadOnlyMemory<byte> line, ReadOnlySequence<byte> after)
    {
        var first = new Part(line, -1, 0);
        var last = first;
        var start = lineEnd;
        foreach (var memory in after)
        {
            if (!memory.IsEmpty)
            {
                last = last.Append(memory, start);
                start += memory.Length;
            }
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    public override void CancelPendingRead() => inner.CancelPendingRead();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);

    /// <summary>A piece of a joined sequence; Start is its first byte's transport offset, -1 for the escaped line.</summary>
    private sealed class Part : ReadOnlySequenceSegment<byte>
    {
        public Part(ReadOnlyMemory<byte> memory, long start, long runningIndex)
        {
            Memory = memory;
            Start = start;
            RunningIndex = runningIndex;
        }

        public long Start { get; }

        public Part Append(ReadOnlyMemory<byte> memory, long start)
        {
            var next = new Part(memory, start, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
