using System.Net.Sockets;
using System.Text;
using OpenGov.Tests.Infrastructure;
using static OpenGov.Tests.Infrastructure.SearchSeed;

namespace OpenGov.Tests.Hosting;

/// <summary>
/// A client that sends UTF-8 in the request line without percent-encoding (curl --path-as-is, a raw socket, some
/// proxies) gets the page, not Kestrel's empty 400 (issue 14, point 5). Sent over a real socket to Kestrel: the
/// in-memory test server never parses a request line.
/// </summary>
public class RawUtf8RequestTests
{
    private static readonly Dictionary<string, string?> Escaping = new() { ["OpenGov:EscapeRawRequestLines"] = "true" };

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

    private static byte[] Get(string target, bool close = true) =>
        Encoding.UTF8.GetBytes($"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: raw-test\r\n{(close ? "Connection: close\r\n" : "")}\r\n");

    [Theory, Databases]
    public async Task Raw_utf8_in_the_query_string_and_path_is_answered_like_its_percent_encoded_form(Db db)
    {
        await using var app = await TestApp.StartAsync(db, Escaping, kestrel: true);
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
        await using var app = await TestApp.StartAsync(db, Escaping, kestrel: true);
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
}
