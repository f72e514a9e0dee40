using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.Council;

/// <summary>
/// The council's audit history is read a page at a time (/council/audit: 100 a page with page links; the API: offset
/// and limit, at most 500), and the member form's check-digit refusal reads in English too.
/// </summary>
public sealed partial class CouncilAuditPagingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static List<long> Ids(JsonNode list) => [.. list.AsArray().Select(a => a!["id"]!.GetValue<long>())];

    [Theory, Databases]
    public async Task The_audit_history_pages_through_the_API_and_the_page(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var secretary = await app.SecretaryAsync();
        for (var i = 1; i <= 105; i++)
        {
            Assert.Equal(201, (await secretary.PostJsonAsync("/api/council/members", new { kind = "special", name = $"特別会員{i:000}" })).Status);
        }

        // the API: by default everything up to 500, newest first; offset and limit page it without gaps or repeats
        var all = Ids(await secretary.GetJsonAsync("/api/council/audit"));
        Assert.True(all.Count >= 105, $"{all.Count} entries");
        Assert.Equal(all.OrderByDescending(x => x), all);
        var paged = new List<long>();
        for (var offset = 0; offset < all.Count; offset += 40)
        {
            paged.AddRange(Ids(await secretary.GetJsonAsync($"/api/council/audit?offset={offset}&limit=40")));
        }

        Assert.Equal(all, paged);
        Assert.Empty((await secretary.GetJsonAsync($"/api/council/audit?offset={all.Count}")).AsArray());
        Assert.Equal(all.Take(500), Ids(await secretary.GetJsonAsync("/api/council/audit?limit=500")));

        // bad numbers: 400 in the council's error shape, naming the field, in the user's language
        foreach (var (query, field, message) in new[]
        {
            ("offset=-1", "offset", "offset は0以上の整数で指定してください。"),
            ("offset=abc", "offset", "offset は0以上の整数で指定してください。"),
            ("limit=0", "limit", "limit は1～500の整数で指定してください。"),
            ("limit=501", "limit", "limit は1～500の整数で指定してください。"),
            ("limit=many", "limit", "limit は1～500の整数で指定してください。"),
        })
        {
            var (status, body) = await SendGetAsync(secretary, "/api/council/audit?" + query);
            Assert.True(status == 400, $"{query}: {status}");
            Assert.Equal(field, body!["field"]!.GetValue<string>());
            Assert.Equal(message, body["error"]!.GetValue<string>());
        }

        var (_, en) = await SendGetAsync(secretary, "/api/council/audit?limit=0&lang=en");
        Assert.Equal("limit must be a whole number from 1 to 500.", en!["error"]!.GetValue<string>());
        Assert.Equal(403, (await SendGetAsync(app.WithToken((await app.CreateEventUserAsync("citizen")).Token), "/api/council/audit?offset=0&limit=5")).Status);

        // the page: 100 a page, newest first, with page links
        var one = await secretary.GetStringAsync("/council/audit", Ct);
        Assert.Equal(100, Rows(one));
        Assert.Contains("特別会員105", one);
        Assert.Contains("aria-label=\"監査履歴のページ送り\"", one);
        Assert.Contains("href=\"/council/audit?page=2\" rel=\"next\"", one);
        Assert.DoesNotContain("rel=\"prev\"", one);
        var two = await secretary.GetStringAsync("/council/audit?page=2", Ct);
        Assert.Equal(all.Count - 100, Rows(two));
        Assert.Contains("特別会員001", two);
        Assert.DoesNotContain("特別会員105", two);
        Assert.Contains("href=\"/council/audit?page=1\" rel=\"prev\"", two);
        Assert.DoesNotContain("rel=\"next\"", two);
        Assert.Equal(Rows(two), Rows(await secretary.GetStringAsync("/council/audit?page=99", Ct)));
        Assert.Contains("aria-label=\"Audit history pages\"", await secretary.GetStringAsync("/council/audit?page=2&lang=en", Ct));

        // one member's history has a single page and no links
        var memberId = (await secretary.GetJsonAsync("/api/council/audit?limit=1"))[0]!["entityId"]!.GetValue<string>();
        var member = await secretary.GetStringAsync("/council/audit?member=" + Uri.EscapeDataString(memberId), Ct);
        Assert.True(Rows(member) >= 1);
        Assert.DoesNotContain("class=\"pagination\"", member);
    }

    [Theory, Databases]
    public async Task The_member_forms_check_digit_refusal_reads_in_English(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateUserAsync("jimu", password: "pass-jimu");
        Assert.Equal(204, (await app.Admin().PostJsonAsync("/api/council/secretariat", new { user = "jimu" })).Status);
        var client = app.Anonymous();
        await client.LoginAsync("jimu", "pass-jimu");

        var form = await client.GetStringAsync("/council/member/new?lang=en", Ct);
        Assert.Contains("Local government code (6 digits with the check digit)", form);
        var fields = new Dictionary<string, string>
        {
            ["Input.Kind"] = "local_government",
            ["Input.Name"] = "千葉市",
            ["Input.LocalGovCode"] = "121009",
            ["__RequestVerificationToken"] = CatalogFixtures.AntiforgeryToken(form),
        };
        using var response = await client.PostAsync("/council/member/new?lang=en", new FormUrlEncodedContent(fields), Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal(400, (int)response.StatusCode);
        Assert.Contains("Local government code 121009 is not 6 digits or its check digit is wrong.", html);
        Assert.DoesNotContain("検査数字が正しくありません", html);
        Assert.Contains("name=\"Input.LocalGovCode\" value=\"121009\"", html);
        Assert.Empty((await app.Anonymous().GetJsonAsync("/api/council/timeline"))["members"]!.AsArray());
    }

    private static async Task<(int Status, JsonNode? Body)> SendGetAsync(HttpClient client, string url)
    {
        using var r = await client.GetAsync(url, Ct);
        var text = await r.Content.ReadAsStringAsync(Ct);
        return ((int)r.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    /// <summary>Rows of the audit table's body.</summary>
    private static int Rows(string html) => BodyRow().Count(html[html.IndexOf("<tbody>", StringComparison.Ordinal)..]);

    [GeneratedRegex("<tr>")]
    private static partial Regex BodyRow();
}
