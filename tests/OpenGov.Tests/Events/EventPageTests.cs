using Microsoft.Extensions.DependencyInjection;
using OpenGov.Events;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.Events;

public sealed class EventPageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task SeedDemoAsync(TestApp app)
    {
        using var scope = app.Services.CreateScope();
        var seeder = scope.ServiceProvider.GetServices<OpenGov.Hosting.IDemoSeeder>().OfType<EventDemoSeeder>().Single();
        Assert.Equal(20, seeder.Order);
        await seeder.SeedAsync(scope.ServiceProvider, TestContext.Current.CancellationToken);
        await seeder.SeedAsync(scope.ServiceProvider, TestContext.Current.CancellationToken); // idempotent
    }

    [Theory, Databases]
    public async Task Demo_symposium_is_listed_and_shown_in_Japanese_with_replay_press_notice_and_programme(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await SeedDemoAsync(app);
        var client = app.Anonymous();

        var list = await client.GetStringAsync("/event", Ct);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(list, "/event/symposium-2020\""));
        Assert.Contains("2020年11月19日（木）15:00～16:30", list);

        var page = await client.GetStringAsync("/event/symposium-2020", Ct);
        Assert.Contains("感染症対策を契機とした社会変革", page);
        Assert.Contains("https://www.youtube-nocookie.com/embed/NUZt2y4blJE", page);
        Assert.Contains("title=\"見逃し配信：", page); // the event is over: replay
        Assert.Contains("https://www.youtube-nocookie.com/embed/C3WqUlI5uRU", page);
        Assert.Contains("令和2年（2020年）11月6日", page);
        Assert.Contains("つくば市記者会 御中", page);
        Assert.Contains("■ 取材依頼", page);
        Assert.Contains("つくば市 政策イノベーション部 情報政策課", page);
        Assert.Contains("関 治之", page);
        Assert.Contains("庄司 昌彦", page);
        Assert.Contains("モデレータ", page);
        Assert.Contains("日南市長", page);
        Assert.Contains("/q/og2020/qr.svg", page);
        Assert.DoesNotContain("zoom.us", page); // Zoom details only for panelists and moderators
    }

    [Theory, Databases]
    public async Task Event_page_is_in_English_with_lang_en(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await SeedDemoAsync(app);
        var page = await app.Anonymous().GetStringAsync("/event/symposium-2020?lang=en", Ct);
        Assert.Contains("<html lang=\"en\"", page);
        Assert.Contains("Open Government Promotion Council Public Symposium", page);
        Assert.Contains("Thu 19 Nov 2020, 15:00–16:30 JST", page);
        Assert.Contains("Replay", page);
        Assert.Contains("Keynote", page);
        Assert.Contains("Mayor of Nichinan", page);
    }

    [Theory, Databases]
    public async Task Zoom_details_are_shown_to_panelists_and_moderators_only(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateEventAsync("zoomy", new { zoomJoinUrl = "https://zoom.example/j/123", zoomPasscode = "secret-pass" });
        var panelist = await app.StaffAsync("zoomy", "mayor", "panelist");
        var (_, otherToken) = await app.CreateEventUserAsync("viewer");

        Assert.DoesNotContain("secret-pass", await app.Anonymous().GetStringAsync("/event/zoomy", Ct));
        Assert.DoesNotContain("secret-pass", await app.WithToken(otherToken).GetStringAsync("/event/zoomy", Ct));
        Assert.Contains("secret-pass", await panelist.GetStringAsync("/event/zoomy", Ct));
        Assert.Contains("secret-pass", await app.Admin().GetStringAsync("/event/zoomy", Ct));
    }

    [Theory, Databases]
    public async Task Unknown_event_answers_404_on_pages_and_api(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var client = app.Anonymous();
        Assert.Equal(404, (int)(await client.GetAsync("/event/nope", Ct)).StatusCode);
        Assert.Equal(404, (int)(await client.GetAsync("/q/nope", Ct)).StatusCode);
        Assert.Equal(404, (int)(await client.GetAsync("/p/nope", Ct)).StatusCode);
        Assert.Equal(404, (int)(await client.GetAsync("/q/nope/qr.svg", Ct)).StatusCode);
        var (status, body) = await client.PostJsonAsync("/q/nope/api/questions", new { text = "質問" });
        Assert.Equal(404, status);
        Assert.Equal("not_found", body!["error"]!.GetValue<string>());
    }

    [Theory, Databases]
    public async Task Question_url_has_a_QR_code_as_svg_and_png(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var ev = await app.CreateEventAsync("qr", new { questionCode = "abc123" });
        Assert.Equal("abc123", ev["questionCode"]!.GetValue<string>());
        var client = app.Anonymous();
        using var svg = await client.GetAsync("/q/abc123/qr.svg", Ct);
        Assert.Equal("image/svg+xml", svg.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<svg", await svg.Content.ReadAsStringAsync(Ct));
        using var png = await client.GetAsync("/q/ABC123/qr.png", Ct);
        var bytes = await png.Content.ReadAsByteArrayAsync(Ct);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
    }

    [Theory, Databases]
    public async Task Creating_an_event_needs_a_sysadmin_and_valid_input(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var (_, token) = await app.CreateEventUserAsync("someone");
        var (status, _) = await app.WithToken(token).PostJsonAsync("/api/events", new { slug = "x1", title = "t" });
        Assert.Equal(403, status);
        (status, _) = await app.Anonymous().PostJsonAsync("/api/events", new { slug = "x1", title = "t" });
        Assert.Equal(401, status);
        (status, var body) = await app.Admin().PostJsonAsync("/api/events", new { slug = "Bad Slug!", title = "t" });
        Assert.Equal(400, status);
        Assert.Contains("slug", body!["message"]!.GetValue<string>());
        (status, _) = await app.Admin().PostJsonAsync("/api/events", new { slug = "ok", title = "t", youtubeVideoId = "<script>" });
        Assert.Equal(400, status);
        (status, body) = await app.Admin().PostJsonAsync("/api/events", new { slug = "kinds", title = "t", pressKinds = new[] { "取材依頼", "宣伝" } });
        Assert.Equal(400, status);
        Assert.Contains("宣伝", body!["message"]!.GetValue<string>());
        await app.CreateEventAsync("dup");
        (status, _) = await app.Admin().PostJsonAsync("/api/events", new { slug = "dup", title = "t" });
        Assert.Equal(409, status);
    }
}
