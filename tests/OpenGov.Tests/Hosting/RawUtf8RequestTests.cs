using System.Net.Sockets;
using System.Text;
using OpenGov.Tests.Infrastructure;
using static OpenGov.Tests.Infrastructure.SearchSeed;

namespace OpenGov.Tests.Hosting;

/// <summary>
/// A client that sends UTF-8 in the request line without percent-encoding (curl --path-as-is, a raw socket, some
/// proxies) gets the page, not Kestrel's empty 400 (issue 14, point 5). Sent over a real socket to Kestrel: the
/// in-memory test server never parses a request line. All on the default configuration: the escaper is on.
/// </summary>
public class RawUtf8RequestTests
{

    private static async Task<string> SendRawAsync(TestApp app, byte[] request)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(app.BaseAddress.Host, app.BaseAddress.Port, TestContext.Current.CancellationToken);
        var stream = tcp.GetStream();
        await stream.WriteAsync(request, TestContext.Current.CancellationToken);
        using var response = new MemoryStream();
        await stream.CopyToAsync(response, TestContext.Current.CancellationToken);
        return Encoding.UTF8.GetString(response.ToArray());
    }

    private static byte[] Get(string target, bool close = true, string eol = "\r\n") =>
        Encoding.UTF8.GetBytes($"GET {target} HTTP/1.1{eol}Host: 127.0.0.1{eol}User-Agent: raw-test{eol}{(close ? $"Connection: close{eol}" : "")}{eol}");

    [Theory, Databases]
    public async Task Raw_utf8_in_the_query_string_and_path_is_answered_like_its_percent_encoded_form(Db db)
    {
        await using var app = await TestApp.StartAsync(db, kestrel: true);
        var org = await app.OrganizationAsync("tokyo", "東京都");
        await app.DatasetAsync(org, "corona", "新型コロナウイルス感染症検査数", resources: [new Res("k.csv", "CSV")]);
        await app.DatasetAsync(org, "shelters", "避難所一覧");

        var page = await SendRawAsync(app, Get("/dataset?q=コロナ"));
        Assert.StartsWith("HTTP/1.1 200 OK", page);
        Assert.Contains("1 件のデータセットが見つかりました", page);
        Assert.Contains("value=\"コロナ\"", page);

        var api = await SendRawAsync(app, Get("/api/3/action/package_search?q=コロナ"));
        Assert.StartsWith("HTTP/1.1 200 OK", api);
        Assert.Contains("\"count\":1", api);

        var tag = await SendRawAsync(app, Get("/dataset?tags=存在しないタグ"));
        Assert.StartsWith("HTTP/1.1 200 OK", tag);
        Assert.Contains("0 件のデータセットが見つかりました", tag);
    }

    [Theory, Databases]
    public async Task Requests_after_a_body_on_a_kept_alive_connection_are_escaped_and_bodies_left_as_sent(Db db)
    {
        await using var app = await TestApp.StartAsync(db, kestrel: true);
        var org = await app.OrganizationAsync("tokyo", "東京都");
        await app.DatasetAsync(org, "corona", "新型コロナウイルス感染症検査数");

        // a JSON body with raw UTF-8 (must reach the action unchanged), a chunked body, then a raw request line
        var json = Encoding.UTF8.GetBytes("{\"q\":\"コロナ\"}");
        var chunk = Encoding.UTF8.GetBytes("{\"q\":\"避難所\"}");
        var all = new List<byte>();
        all.AddRange(Encoding.ASCII.GetBytes($"POST /api/3/action/package_search HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {json.Length}\r\n\r\n"));
        all.AddRange(json);
        all.AddRange(Encoding.ASCII.GetBytes($"POST /api/3/action/package_search HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n{chunk.Length:x}\r\n"));
        all.AddRange(chunk);
        all.AddRange(Encoding.ASCII.GetBytes("\r\n0\r\n\r\n"));
        all.AddRange(Get("/api/3/action/package_search?q=検査数"));
        var answers = await SendRawAsync(app, [.. all]);

        var parts = answers.Split("HTTP/1.1 ", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, parts.Length);
        Assert.All(parts, p => Assert.StartsWith("200 OK", p));
        Assert.Contains("\"count\":1", parts[0]);
        Assert.Contains("\"count\":0", parts[1]);
        Assert.Contains("\"count\":1", parts[2]);
    }

    [Theory, Databases]
    public async Task A_raw_utf8_request_with_bare_line_feeds_is_answered(Db db)
    {
        await using var app = await TestApp.StartAsync(db, kestrel: true);
        var org = await app.OrganizationAsync("tokyo", "東京都");
        await app.DatasetAsync(org, "corona", "新型コロナウイルス感染症検査数");

        var answers = await SendRawAsync(app, [.. Get("/api/3/action/package_search?q=コロナ", close: false, eol: "\n"), .. Get("/api/3/action/package_search?q=検査数", eol: "\n")]);

        var parts = answers.Split("HTTP/1.1 ", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, parts.Length);
        Assert.All(parts, p => Assert.StartsWith("200 OK", p));
        Assert.All(parts, p => Assert.Contains("\"count\":1", p));
    }

    [Theory, Databases]
    public async Task With_escaping_switched_off_a_raw_utf8_request_line_gets_kestrels_own_400(Db db)
    {
        await using var app = await TestApp.StartAsync(db, new Dictionary<string, string?> { ["OpenGov:EscapeRawRequestLines"] = "false" }, kestrel: true);

        var page = await SendRawAsync(app, Get("/dataset?q=コロナ"));

        Assert.StartsWith("HTTP/1.1 400 Bad Request", page);
    }

    [Theory, Databases]
    public async Task Random_pipelined_requests_sent_in_random_pieces_are_each_answered_in_order(Db db)
    {
        await using var app = await TestApp.StartAsync(db, kestrel: true);
        var org = await app.OrganizationAsync("tokyo", "東京都");
        await app.DatasetAsync(org, "corona", "新型コロナウイルス感染症検査数");
        var terms = new (string Term, int Count)[] { ("コロナ", 1), ("検査数", 1), ("zzzz", 0), ("存在しない", 0) };

        for (var seed = 0; seed < 4; seed++)
        {
            var random = new Random(seed);
            var sent = new List<byte>();
            var expected = new List<int>();
            var requests = random.Next(5, 15);
            for (var i = 0; i < requests; i++)
            {
                var (term, count) = terms[random.Next(terms.Length)];
                var eol = random.Next(3) == 0 ? "\n" : "\r\n";
                var close = i == requests - 1 ? $"Connection: close{eol}" : "";
                var json = Encoding.UTF8.GetBytes($"{{\"q\":\"{term}\",\"notes\":\"GET /?q=コロナ HTTP/1.1\\r\\n\\r\\n\"}}");
                expected.Add(count);
                switch (random.Next(4))
                {
                    case 0:
                        sent.AddRange(Get($"/api/3/action/package_search?q={term}", close: close != "", eol: eol));
                        break;
                    case 1:
                        sent.AddRange(Get($"/api/3/action/package_search?q={Uri.EscapeDataString(term)}", close: close != "", eol: eol));
                        break;
                    case 2:
                        sent.AddRange(Encoding.UTF8.GetBytes($"POST /api/3/action/package_search?x=ボディ HTTP/1.1{eol}Host: 127.0.0.1{eol}Content-Type: application/json{eol}Content-Length: {json.Length}{eol}{close}{eol}"));
                        sent.AddRange(json);
                        break;
                    default:
                        var cut = random.Next(1, json.Length);
                        sent.AddRange(Encoding.UTF8.GetBytes($"POST /api/3/action/package_search HTTP/1.1{eol}Host: 127.0.0.1{eol}Content-Type: application/json{eol}Transfer-Encoding: chunked{eol}{close}{eol}"));
                        sent.AddRange(Encoding.ASCII.GetBytes($"{cut:x}\r\n"));
                        sent.AddRange(json[..cut]);
                        sent.AddRange(Encoding.ASCII.GetBytes($"\r\n{json.Length - cut:x};a=b\r\n"));
                        sent.AddRange(json[cut..]);
                        sent.AddRange("\r\n0\r\n\r\n"u8.ToArray());
                        break;
                }
            }

            var answers = await SendInPiecesAsync(app, [.. sent], random);

            var parts = answers.Split("HTTP/1.1 ", StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(expected.Count, parts.Length);
            for (var i = 0; i < parts.Length; i++)
            {
                Assert.StartsWith("200 OK", parts[i]);
                Assert.Contains($"\"count\":{expected[i]}", parts[i]);
            }
        }
    }

    private static async Task<string> SendInPiecesAsync(TestApp app, byte[] request, Random random)
    {
        using var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(app.BaseAddress.Host, app.BaseAddress.Port, TestContext.Current.CancellationToken);
        var stream = tcp.GetStream();
        var reading = Task.Run(async () =>
        {
            using var response = new MemoryStream();
            await stream.CopyToAsync(response, TestContext.Current.CancellationToken);
            return Encoding.UTF8.GetString(response.ToArray());
        });
        for (var at = 0; at < request.Length;)
        {
            var n = Math.Min(request.Length - at, random.Next(1, 200));
            await stream.WriteAsync(request.AsMemory(at, n), TestContext.Current.CancellationToken);
            at += n;
            if (random.Next(4) == 0)
            {
                await Task.Delay(2, TestContext.Current.CancellationToken);
            }
        }

        return await reading;
    }
}
