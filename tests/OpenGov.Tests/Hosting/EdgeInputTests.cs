using System.Text;
using System.Text.Json.Nodes;
using OpenGov.Hosting;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.Hosting;

/// <summary>Edges that must answer a clear 4xx or stay on the site (docs/security.md).</summary>
public class EdgeInputTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string[] TrickUrls =
    [
        "//evil.example/", "/\\evil.example", "/\t/evil.example", "/\n/evil.example", "\\\\evil.example",
        " //evil.example", "https://evil.example/", "/\r\n/evil.example", "/\u00a0/evil.example",
    ];

    /// <summary>Every return-URL trick on each database.</summary>
    public static TheoryData<string, Db> Tricks()
    {
        var data = new TheoryData<string, Db>();
        foreach (var db in new[] { Db.Sqlite, Db.Postgres })
        {
            foreach (var trick in TrickUrls)
            {
                data.Add(trick, db);
            }
        }

        return data;
    }

    [Theory, MemberData(nameof(Tricks))]
    public async Task Login_and_language_switch_never_return_to_another_site(string trick, Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateUserAsync("hanako", password: "secret-pw");
        var client = app.Anonymous();
        var page = await client.GetStringAsync("/user/login", Ct);
        using var login = await client.PostAsync("/user/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Login"] = "hanako",
            ["Password"] = "secret-pw",
            ["ReturnUrl"] = trick,
            ["__RequestVerificationToken"] = CatalogFixtures.AntiforgeryToken(page),
        }), Ct);
        Assert.Equal(302, (int)login.StatusCode);
        Assert.Equal("/dashboard/datasets", login.Headers.Location?.OriginalString);

        using var lang = await client.GetAsync("/lang/en?returnUrl=" + Uri.EscapeDataString(trick), Ct);
        Assert.Equal(302, (int)lang.StatusCode);
        Assert.Equal("/", lang.Headers.Location?.OriginalString);
    }

    [Theory, Databases]
    public async Task Lone_surrogates_in_json_answer_400_in_each_apis_own_shape(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateEventAsync("sym", new { questionCode = "q1" });
        foreach (var text in new[] { "\"\\ud800\"", "\"a\\udc00b\"", "\"\\ud800\\u0041\"", "\"\\ud83d\"" })
        {
            using var ckan = await app.Admin().PostAsync("/api/3/action/organization_create", new StringContent("{\"name\":\"x\",\"title\":" + text + "}", Encoding.UTF8, "application/json"), Ct);
            var body = JsonNode.Parse(await ckan.Content.ReadAsStringAsync(Ct))!;
            Assert.Equal(400, (int)ckan.StatusCode);
            Assert.False(body["success"]!.GetValue<bool>());

            using var question = await app.Participant().PostAsync("/q/q1/api/questions", new StringContent("{\"text\":" + text + "}", Encoding.UTF8, "application/json"), Ct);
            Assert.Equal(400, (int)question.StatusCode);
            Assert.Equal("invalid", JsonNode.Parse(await question.Content.ReadAsStringAsync(Ct))!["error"]!.GetValue<string>());
        }

        // a proper pair (an emoji) and escaped backslashes are fine
        Assert.Equal("🎌", (await app.Admin().OkAsync("organization_create", JsonNode.Parse("{\"name\":\"emoji-org\",\"title\":\"\\ud83c\\udf8c\"}")))["title"]!.GetValue<string>());
        Assert.Equal(200, (await app.Participant().PostJsonAsync("/q/q1/api/questions", JsonNode.Parse("{\"text\":\"C:\\\\ud800 は文字列\"}"))).Status);
    }

    [Theory]
    [InlineData(new[] { "admin", "help" }, 0)]
    [InlineData(new[] { "--data", "DIR", "admin", "help" }, 2)]
    [InlineData(new[] { "--data=DIR", "--demo", "admin", "help" }, 2)]
    [InlineData(new[] { "--urls", "http://127.0.0.1:1", "admin", "migrate", "--data", "DIR" }, 2)]
    [InlineData(new[] { "--data", "admin" }, -1)]
    [InlineData(new[] { "--demo" }, -1)]
    public void Admin_verbs_are_found_in_any_argument_order(string[] args, int at) =>
        Assert.Equal(at, HostArguments.AdminVerbIndex(args));

    [Fact]
    public async Task Data_dir_before_admin_help_runs_the_verb_and_never_starts_a_server()
    {
        var dir = Path.Combine(Path.GetTempPath(), "opengov-tests", Guid.NewGuid().ToString("N"));
        try
        {
            // a server would never return: the wait turns that into a failure instead of a hung run
            var code = await OpenGovProgram.RunAsync(["--data", dir, "admin", "help"]).WaitAsync(TimeSpan.FromMinutes(2), Ct);
            Assert.Equal(0, code);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }
}
