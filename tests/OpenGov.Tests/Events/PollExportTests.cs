using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using OpenGov.Events;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.Events;

public sealed class PollExportTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, Databases]
    public async Task Single_multiple_rating_and_word_polls_count_one_answer_per_participant(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateEventAsync("sym", new { questionCode = "q1" });
        var single = await app.CreatePollAsync(new { kind = "single", questionJa = "参加は何回目？", options = new[] { "初めて", "2回目以上" } });
        var multi = await app.CreatePollAsync(new { kind = "multiple", questionJa = "関心は？", options = new[] { "オープンデータ", "DX", "防災" } });
        var rating = await app.CreatePollAsync(new { kind = "rating", questionJa = "満足度", maxRating = 5 });
        var words = await app.CreatePollAsync(new { kind = "words", questionJa = "ひとことで" });
        var s = await app.OptionIdsAsync(single);
        var m = await app.OptionIdsAsync(multi);

        var a = app.Anonymous();
        var b = app.Anonymous();
        Assert.Equal(200, (await a.PostJsonAsync($"/q/q1/api/polls/{single}/answer", new { choices = new[] { s[0] } })).Status);
        Assert.Equal(409, (await a.PostJsonAsync($"/q/q1/api/polls/{single}/answer", new { choices = new[] { s[1] } })).Status);
        Assert.Equal(400, (await b.PostJsonAsync($"/q/q1/api/polls/{single}/answer", new { choices = new[] { s[0], s[1] } })).Status);
        Assert.Equal(400, (await b.PostJsonAsync($"/q/q1/api/polls/{single}/answer", new { choices = new[] { 999999L } })).Status);
        Assert.Equal(200, (await b.PostJsonAsync($"/q/q1/api/polls/{single}/answer", new { choices = new[] { s[0] } })).Status);
        Assert.Equal(200, (await a.PostJsonAsync($"/q/q1/api/polls/{multi}/answer", new { choices = new[] { m[0], m[2] } })).Status);
        Assert.Equal(200, (await a.PostJsonAsync($"/q/q1/api/polls/{rating}/answer", new { rating = 4 })).Status);
        Assert.Equal(200, (await b.PostJsonAsync($"/q/q1/api/polls/{rating}/answer", new { rating = 5 })).Status);
        Assert.Equal(400, (await app.Anonymous().PostJsonAsync($"/q/q1/api/polls/{rating}/answer", new { rating = 6 })).Status);
        Assert.Equal(200, (await a.PostJsonAsync($"/q/q1/api/polls/{words}/answer", new { text = "オープンデータで行政改革" })).Status);
        Assert.Equal(200, (await b.PostJsonAsync($"/q/q1/api/polls/{words}/answer", new { text = "オープンデータ" })).Status);

        var sp = await app.PollAsync(single);
        Assert.Equal(2, sp["counts"]!.AsArray().Single(c => c!["optionId"]!.GetValue<long>() == s[0])!["votes"]!.GetValue<int>());
        var mp = await app.PollAsync(multi);
        Assert.Equal([1, 0, 1], mp["counts"]!.AsArray().Select(c => c!["votes"]!.GetValue<int>()));
        Assert.Equal(4.5, (await app.PollAsync(rating))["averageRating"]!.GetValue<double>());
        var cloud = (await app.PollAsync(words))["words"]!.AsArray();
        Assert.Equal("オープンデータ", cloud[0]!["word"]!.GetValue<string>());
        Assert.Equal(2, cloud[0]!["count"]!.GetValue<int>());

        await app.Admin().PostJsonAsync($"/api/events/sym/polls/{single}/close");
        Assert.Equal(409, (await app.Anonymous().PostJsonAsync($"/q/q1/api/polls/{single}/answer", new { choices = new[] { s[0] } })).Status);
        var page = await app.Anonymous().GetStringAsync("/q/q1", Ct);
        Assert.Contains("ev-cloud", page);
        Assert.Contains("ことばの一覧", page); // the accessible list beside the cloud
    }

    [Theory, Databases]
    public async Task Leaderboard_takes_one_vote_per_participant_per_round_and_ranks_the_totals(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateEventAsync("sym", new { questionCode = "q1" });
        var contest = await app.CreatePollAsync(new { kind = "leaderboard", questionJa = "シビックパワーバトル", options = new[] { "千葉市", "つくば市", "福岡市" } });
        var t = await app.OptionIdsAsync(contest);
        var a = app.Anonymous();
        var b = app.Anonymous();
        await using var live = await EventsTestKit.SseReader.OpenAsync(app.Anonymous(), "/q/q1/stream");
        Assert.Equal(200, (await a.PostJsonAsync($"/q/q1/api/polls/{contest}/answer", new { choices = new[] { t[1] } })).Status);
        Assert.Equal(409, (await a.PostJsonAsync($"/q/q1/api/polls/{contest}/answer", new { choices = new[] { t[1] } })).Status);
        Assert.Equal(200, (await b.PostJsonAsync($"/q/q1/api/polls/{contest}/answer", new { choices = new[] { t[2] } })).Status);
        Assert.Equal(200, (await app.Admin().PostJsonAsync($"/api/events/sym/polls/{contest}/next-round")).Status);
        Assert.Equal(200, (await a.PostJsonAsync($"/q/q1/api/polls/{contest}/answer", new { choices = new[] { t[1] } })).Status);

        var p = await app.PollAsync(contest);
        Assert.Equal(2, p["round"]!.GetValue<int>());
        var tsukuba = p["counts"]!.AsArray().Single(c => c!["optionId"]!.GetValue<long>() == t[1])!;
        Assert.Equal(1, tsukuba["votes"]!.GetValue<int>());
        Assert.Equal(2, tsukuba["total"]!.GetValue<int>());
        await live.WaitForAsync(d => d["polls"]?.AsArray().Any(x => x!["round"]!.GetValue<int>() == 2 && x["responses"]!.GetValue<int>() == 1) == true);
    }

    [Theory, Databases]
    public async Task A_poll_created_with_the_old_names_contest_and_questionJa_is_a_leaderboard(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateEventAsync("sym", new { questionCode = "q1" });
        var old = await app.CreatePollAsync(new { kind = "contest", questionJa = "シビックパワーバトル", options = new[] { "千葉市", "つくば市" } });
        var current = await app.CreatePollAsync(new { kind = "leaderboard", question = "第2ラウンド", options = new[] { "千葉市", "つくば市" } });

        foreach (var (id, question) in new[] { (old, "シビックパワーバトル"), (current, "第2ラウンド") })
        {
            var p = await app.PollAsync(id);
            Assert.Equal("leaderboard", p["kind"]!.GetValue<string>());
            Assert.Equal(question, p["questionJa"]!.GetValue<string>());
        }

        var (status, _) = await app.Admin().PostJsonAsync("/api/events/sym/polls", new { kind = "competition", question = "?", options = new[] { "a", "b" } });
        Assert.Equal(400, status);
    }

    [Theory, Databases]
    public async Task Moderators_export_questions_votes_and_polls_as_csv_with_bom_and_xlsx(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateEventAsync("sym", new { questionCode = "q1" });
        var id = await app.Anonymous().AskAsync("q1", "=HYPERLINK(\"x\"),\"引用\"を含む質問");
        await app.Anonymous().PostJsonAsync($"/q/q1/api/questions/{id}/vote");
        await app.CreatePollAsync(new { kind = "single", questionJa = "はい／いいえ", options = new[] { "はい", "いいえ" } });

        var bytes = await app.Admin().GetByteArrayAsync("/event/sym/export/questions.csv", Ct);
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var csv = Encoding.UTF8.GetString(bytes[3..]);
        Assert.StartsWith("id,created_jst,text,", csv);
        Assert.Contains("\"'=HYPERLINK(\"\"x\"\"),\"\"引用\"\"を含む質問\"", csv);
        var votes = Encoding.UTF8.GetString(await app.Admin().GetByteArrayAsync("/event/sym/export/votes.csv", Ct));
        Assert.Equal(3, votes.Split("\r\n").Length); // header, one vote, trailing
        var polls = Encoding.UTF8.GetString(await app.Admin().GetByteArrayAsync("/event/sym/export/polls.csv", Ct));
        Assert.Contains("はい／いいえ", polls);

        using var xlsx = await app.Admin().GetAsync("/event/sym/export/questions.xlsx", Ct);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.Content.Headers.ContentType?.MediaType);
        using var zip = new ZipArchive(new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync(Ct)));
        var sheet = zip.Entries.First(e => e.FullName.StartsWith("xl/", StringComparison.Ordinal) && e.FullName.Contains("sheet", StringComparison.Ordinal) && e.FullName.EndsWith(".xml", StringComparison.Ordinal) && !e.FullName.Contains("rels", StringComparison.Ordinal));
        Assert.NotNull(sheet);
        var allXml = string.Concat(zip.Entries.Where(e => e.FullName.EndsWith(".xml", StringComparison.Ordinal)).Select(e => new StreamReader(e.Open()).ReadToEnd()));
        Assert.Contains("を含む質問", allXml);

        Assert.Equal(404, (int)(await app.Admin().GetAsync("/event/sym/export/secrets.csv", Ct)).StatusCode);
        Assert.Equal(401, (int)(await app.Anonymous().GetAsync("/event/sym/export/questions.csv", Ct)).StatusCode);
    }

    [Fact]
    public void Japanese_words_are_split_for_the_cloud()
    {
        Assert.Equal(["オープンデータ", "行政改革"], WordCloud.Words("オープンデータで行政改革"));
        Assert.Contains("open", WordCloud.Words("Open data, OPEN gov"));
        Assert.Equal(["感染", "染症", "症対", "対策"], WordCloud.Words("感染症対策"));
    }
}
