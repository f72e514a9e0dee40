using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using OpenGov.Hosting;

namespace OpenGov.Tests.Hosting;

/// <summary>
/// Property tests of the request-line escaper against generated connections: pipelined requests with and without raw
/// UTF-8 in their request lines, CRLF and bare-LF line ends, Content-Length and chunked bodies full of CRLFs, bytes
/// above 0x7F and request-like text, delivered split at every byte boundary and in random pieces, read by a reader
/// that consumes in random steps. What Kestrel is handed must be the connection with only the request lines' high
/// bytes percent-encoded, whatever the split; bodies and every ASCII byte exactly as sent.
/// </summary>
public class RequestLineEscapingFuzzTests
{
    private static readonly string[] Words = ["コロナ", "é", "a", "%E3%82%B3", "data", "避難所", "x=1&y=2", "+", "~"];

    /// <summary>One generated connection: the bytes sent and the bytes Kestrel must be handed.</summary>
    private sealed record Connection(byte[] Sent, byte[] Expected);

    private static Connection Generate(Random random, int requests)
    {
        var sent = new List<byte>();
        var expected = new List<byte>();
        void Both(byte[] bytes)
        {
            sent.AddRange(bytes);
            expected.AddRange(bytes);
        }

        for (var i = 0; i < requests; i++)
        {
            var eol = random.Next(3) == 0 ? "\n" : "\r\n";
            var method = new[] { "GET", "POST", "PUT", "DELETE", "PATCH", "M-SEARCH" }[random.Next(6)];
            var target = Target(random);
            sent.AddRange(Encoding.ASCII.GetBytes($"{method} "));
            sent.AddRange(target);
            expected.AddRange(Encoding.ASCII.GetBytes($"{method} "));
            expected.AddRange(Escaped(target));
            Both(Encoding.ASCII.GetBytes($" HTTP/1.{random.Next(2)}{eol}Host: 127.0.0.1{eol}"));
            Both(Encoding.UTF8.GetBytes($"X-Note: {Encoding.UTF8.GetString(Target(random)).Replace("\r", "")}{eol}"));
            var body = Body(random);
            switch (random.Next(3))
            {
                case 0 when body.Length == 0:
                    Both(Encoding.ASCII.GetBytes(eol));
                    break;
                case 0:
                case 1:
                    Both(Encoding.ASCII.GetBytes($"Content-Length: {body.Length}{eol}{eol}"));
                    Both(body);
                    break;
                default:
                    Both(Encoding.ASCII.GetBytes($"Transfer-Encoding: chunked{eol}{eol}"));
                    Both(Chunked(random, body));
                    break;
            }
        }

        return new Connection([.. sent], [.. expected]);
    }

    private static byte[] Target(Random random)
    {
        var text = new StringBuilder("/");
        for (var n = random.Next(5); n > 0; n--)
        {
            text.Append(Words[random.Next(Words.Length)]).Append(random.Next(2) == 0 ? "/" : "?q=");
        }

        var bytes = Encoding.UTF8.GetBytes(text.ToString()).ToList();
        if (random.Next(4) == 0)
        {
            bytes.Add((byte)random.Next(0x80, 0x100)); // not UTF-8 at all: escaped just the same
        }

        return [.. bytes];
    }

    private static byte[] Escaped(byte[] target) =>
        Encoding.ASCII.GetBytes(string.Concat(target.Select(b => b >= 0x80 ? $"%{b:X2}" : ((char)b).ToString())));

    private static byte[] Body(Random random)
    {
        var pieces = new[] { "GET /コロナ HTTP/1.1\r\n", "\r\n\r\n", "\n", "\r", "0\r\n\r\n", "Content-Length: 5\r\n", "\0", "{\"q\":\"避難所\"}" };
        var body = new List<byte>();
        for (var n = random.Next(6); n > 0; n--)
        {
            if (random.Next(3) == 0)
            {
                var noise = new byte[random.Next(1, 40)];
                random.NextBytes(noise);
                body.AddRange(noise);
            }
            else
            {
                body.AddRange(Encoding.UTF8.GetBytes(pieces[random.Next(pieces.Length)]));
            }
        }

        return [.. body];
    }

    private static byte[] Chunked(Random random, byte[] body)
    {
        var output = new List<byte>();
        var at = 0;
        while (at < body.Length)
        {
            var size = Math.Min(body.Length - at, random.Next(1, 20));
            output.AddRange(Encoding.ASCII.GetBytes($"{size:x}{(random.Next(3) == 0 ? ";ext=1" : "")}\r\n"));
            output.AddRange(body.AsSpan(at, size).ToArray());
            output.AddRange("\r\n"u8.ToArray());
            at += size;
        }

        output.AddRange(Encoding.ASCII.GetBytes(random.Next(3) == 0 ? "0\r\nX-Trailer: 1\r\n\r\n" : "0\r\n\r\n"));
        return [.. output];
    }

    /// <summary>
    /// Sends <paramref name="pieces"/> one at a time through a pipe of small segments and the escaper, reading
    /// between pieces until the escaper has nothing more to show; returns what the reader consumed.
    /// </summary>
    private static async Task<byte[]> PassAsync(IEnumerable<byte[]> pieces, Random consumer)
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0, minimumSegmentSize: 16, useSynchronizationContext: false));
        var reader = new EscapingReader(pipe.Reader);
        var output = new List<byte>();
        var steps = 0;

        // like Kestrel: sometimes all that is shown, sometimes a part (a line, some body) looking no further
        bool Take(ReadResult result)
        {
            Assert.True(++steps < 1_000_000, "the reader never finished");
            var shown = result.Buffer;
            var take = consumer.Next(3) == 0 ? consumer.NextInt64(shown.Length + 1) : shown.Length;
            output.AddRange(shown.Slice(0, take).ToArray());
            var to = shown.GetPosition(take);
            reader.AdvanceTo(to, take == shown.Length ? shown.End : to);
            return result.IsCompleted && take == shown.Length;
        }

        foreach (var piece in pieces)
        {
            await pipe.Writer.WriteAsync(piece, TestContext.Current.CancellationToken);
            while (reader.TryRead(out var result))
            {
                Take(result);
            }
        }

        await pipe.Writer.CompleteAsync();
        while (!Take(await reader.ReadAsync(TestContext.Current.CancellationToken)))
        {
        }

        return [.. output];
    }

    private static IEnumerable<byte[]> RandomSplits(byte[] bytes, Random random)
    {
        for (var at = 0; at < bytes.Length;)
        {
            var n = Math.Min(bytes.Length - at, random.Next(1, 64));
            yield return bytes.AsSpan(at, n).ToArray();
            at += n;
        }
    }

    [Fact]
    public async Task Pipelined_requests_in_random_pieces_are_handed_on_with_only_request_lines_escaped()
    {
        for (var seed = 0; seed < 300; seed++)
        {
            var random = new Random(seed);
            var connection = Generate(random, random.Next(1, 8));
            var output = await PassAsync(RandomSplits(connection.Sent, random), random);
            Assert.True(connection.Expected.AsSpan().SequenceEqual(output), $"seed {seed}:\n{Show(connection.Expected)}\n---\n{Show(output)}");
        }
    }

    [Fact]
    public async Task A_connection_split_at_every_byte_boundary_is_handed_on_the_same()
    {
        for (var seed = 1000; seed < 1010; seed++)
        {
            var random = new Random(seed);
            var connection = Generate(random, 3);
            for (var at = 0; at <= connection.Sent.Length; at++)
            {
                var output = await PassAsync([connection.Sent[..at], connection.Sent[at..]], random);
                Assert.True(connection.Expected.AsSpan().SequenceEqual(output), $"seed {seed} split {at}");
            }
        }
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\nGET /コ HTTP/1.1\r\n\r\n")]
    [InlineData("POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\nGET /コ HTTP/1.1\r\n\r\n")]
    [InlineData("POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcGET /コ HTTP/1.1\r\n\r\n")]
    [InlineData("POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /コ HTTP/1.1\r\n\r\n")]
    [InlineData("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\nabc\r\n0\r\n\r\nGET /コ HTTP/1.1\r\n\r\n")]
    [InlineData("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n0\r\n\r\nGET /コ HTTP/1.1\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nX: a\r\n folded\r\n\r\nGET /コ HTTP/1.1\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nX: a\rb\r\n\r\nGET /コ HTTP/1.1\r\n\r\n")]
    [InlineData("CONNECT host:443 HTTP/1.1\r\n\r\nGET /コ HTTP/1.1\r\n\r\n")]
    [InlineData("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\nGET /コ HTTP/1.1\r\n\r\n")]
    [InlineData("\r\nGET /コ HTTP/1.1\r\n\r\n")]
    [InlineData("\u0016\u0003\u0001GET /コ HTTP/1.1\r\n\r\n")]
    [InlineData("GET /コ HTTP/1.1 \r\n\r\n")]
    [InlineData("GET  /コ HTTP/1.1\r\n\r\n")]
    [InlineData("GÉT /コ HTTP/1.1\r\n\r\n")]
    [InlineData("GET /コ\r HTTP/1.1\r\n\r\n")]
    [InlineData("GET /コ HTTP/2\r\n\r\n")]
    public async Task What_Kestrel_may_frame_otherwise_is_handed_on_as_sent(string connection)
    {
        var sent = Encoding.UTF8.GetBytes(connection.Replace("\u0016\u0003\u0001", "\u0016"));
        for (var seed = 0; seed < 20; seed++)
        {
            var random = new Random(seed);
            var output = await PassAsync(RandomSplits(sent, random), random);
            Assert.True(sent.AsSpan().SequenceEqual(output), $"seed {seed}: {Show(output)}");
        }
    }

    [Fact]
    public async Task A_request_line_longer_than_any_Kestrel_reads_is_handed_on_as_sent()
    {
        var sent = Encoding.UTF8.GetBytes($"GET /{new string('コ', 30_000)} HTTP/1.1\r\n\r\n");
        var random = new Random(7);
        Assert.Equal(sent, await PassAsync(RandomSplits(sent, random), random));
    }

    [Fact]
    public async Task Random_bytes_are_handed_on_unchanged_when_ascii_and_the_same_whatever_the_split()
    {
        var alphabet = new[] { "\r", "\n", " ", "GET", "/", "HTTP/1.1", "HTTP/1.0", ":", "Content-Length", "Transfer-Encoding", "chunked", "3", "a", "\0", "\u00e9", "コ", ";" }
            .Select(Encoding.UTF8.GetBytes).ToArray();
        for (var seed = 0; seed < 300; seed++)
        {
            var random = new Random(seed);
            var sent = Enumerable.Range(0, random.Next(1, 120)).SelectMany(_ => alphabet[random.Next(alphabet.Length)]).ToArray();
            var whole = await PassAsync([sent], new Random(0));
            var split = await PassAsync(RandomSplits(sent, random), random);
            Assert.True(whole.AsSpan().SequenceEqual(split), $"seed {seed}: {Show(sent)}");
            if (!sent.Any(b => b >= 0x80))
            {
                Assert.Equal(sent, whole);
            }
            else
            {
                Assert.Equal(sent, Unescaped(whole, sent));
            }
        }
    }

    [Fact]
    public async Task A_large_body_is_counted_not_read_and_the_next_raw_line_escaped()
    {
        var body = new byte[3_000_000];
        new Random(3).NextBytes(body);
        var head = Encoding.ASCII.GetBytes($"PUT /x HTTP/1.1\r\nContent-Length: {body.Length}\r\n\r\n");
        var next = Encoding.UTF8.GetBytes("GET /?q=コロナ HTTP/1.1\r\n\r\n");
        var output = await PassAsync(RandomSplits([.. head, .. body, .. next], new Random(4)).Chunk(1000).Select(c => c.SelectMany(b => b).ToArray()), new Random(5));
        Assert.Equal([.. head, .. body, .. Encoding.ASCII.GetBytes("GET /?q=%E3%82%B3%E3%83%AD%E3%83%8A HTTP/1.1\r\n\r\n")], output);
    }

    /// <summary>The output with its inserted escapes decoded again, for comparing with what was sent.</summary>
    private static byte[] Unescaped(byte[] output, byte[] sent)
    {
        var result = new List<byte>();
        var s = 0;
        for (var i = 0; i < output.Length; i++)
        {
            if (s < sent.Length && output[i] == sent[s])
            {
                result.Add(output[i]);
                s++;
            }
            else if (output[i] == '%' && i + 2 < output.Length)
            {
                result.Add(Convert.ToByte(Encoding.ASCII.GetString(output, i + 1, 2), 16));
                s++;
                i += 2;
            }
            else
            {
                result.Add(output[i]);
            }
        }

        return [.. result];
    }

    private static string Show(byte[] bytes) => Encoding.UTF8.GetString(bytes).Replace("\r", "\\r").Replace("\n", "\\n\n");
}
