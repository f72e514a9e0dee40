using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenGov.Storage;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.Dashboards;

public class DashboardHttpTests
{
    /// <summary>The 2020-08-06 Tokyo files kept as fixtures of the Tabular and Dashboards tests.</summary>
    private static string Fixture(string project, string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OpenGov.slnx")))
        {
            dir = dir.Parent;
        }
        return Path.Combine(dir!.FullName, "tests", project, "Fixtures", name);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Patients = "130001_tokyo_covid19_patients.csv";
    private const string Calls = "130001_tokyo_covid19_call_center.csv";
    private const string Advice = "130001_tokyo_covid19_combined_telephone_advice_center.csv";

    private static async Task<string> OrgNameAsync(TestApp app, string orgId)
    {
        using var scope = app.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<OpenGovDb>().Organizations.Where(o => o.Id == orgId).Select(o => o.Name).SingleAsync();
    }

    /// <summary>Uploads a file through resource_create (which queues the load) and waits for the load.</summary>
    private static async Task<string> UploadAndLoadAsync(TestApp app, string datasetId, string name, byte[] bytes)
    {
        var (status, body) = await app.Admin().UploadAsync(datasetId, name, bytes);
        Assert.True(status == 200, body.ToJsonString());
        var rid = body["result"]!["id"]!.GetValue<string>();
        var job = await app.WaitForJobAsync(rid, TimeSpan.FromMinutes(3));
        Assert.True(job["status"]!.GetValue<string>() == "complete", job.ToJsonString());
        return rid;
    }

    private static async Task<JsonObject> GetJsonAsync(HttpClient c, string url)
    {
        using var r = await c.GetAsync(url, Ct);
        var text = await r.Content.ReadAsStringAsync(Ct);
        Assert.True(r.IsSuccessStatusCode, $"{url}: {(int)r.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    private static List<(string, long)> Pairs(JsonNode? envelope) =>
        envelope!["data"]!.AsArray().Select(x => (x!["日付"]!.GetValue<string>(), x["小計"]!.GetValue<long>())).ToList();

    [Theory, Databases]
    public async Task Tokyo_files_uploaded_give_a_template_dashboard_whose_data_json_equals_the_real_one(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var (orgId, ds) = await app.DatasetAsync();
        var org = await OrgNameAsync(app, orgId);
        await UploadAndLoadAsync(app, ds, Patients, await File.ReadAllBytesAsync(Fixture("OpenGov.Tabular.Tests", Patients), Ct));
        await UploadAndLoadAsync(app, ds, Calls, await File.ReadAllBytesAsync(Fixture("OpenGov.Tabular.Tests", Calls), Ct));
        await UploadAndLoadAsync(app, ds, Advice, await File.ReadAllBytesAsync(Fixture("OpenGov.Dashboards.Tests", Advice), Ct));

        using var created = await app.Admin().PostAsync($"/api/dashboards/{org}/template/covid19", null, Ct);
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var data = await GetJsonAsync(app.Anonymous(), $"/dashboards/{org}/covid19/data.json");
        var real = JsonNode.Parse(await File.ReadAllTextAsync(Fixture("OpenGov.Dashboards.Tests", "tokyo-2020-08-06-data-extract.json"), Ct))!;

        Assert.Equal(Pairs(real["patients_summary"]), Pairs(data["patients_summary"]));
        Assert.Equal(14645, Pairs(data["patients_summary"]).Sum(p => p.Item2));
        Assert.Equal(Pairs(real["contacts"]), Pairs(data["contacts"]));
        Assert.Equal(168420, Pairs(data["contacts"]).Sum(p => p.Item2));
        Assert.Equal(Pairs(real["querents"]), Pairs(data["querents"]));
        Assert.Equal(14645, data["patients"]!["data"]!.AsArray().Count);
        Assert.Equal(real["patients_head"]![0]!.ToJsonString(), data["patients"]!["data"]![0]!.ToJsonString());

        var page = await app.Anonymous().GetStringAsync($"/dashboards/{org}/covid19", Ct);
        Assert.Contains("報告日別による陽性者数の推移", page, StringComparison.Ordinal);
        Assert.Contains("role=\"img\"", page, StringComparison.Ordinal);
        Assert.Contains("100歳以上", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", page.Split("<main")[1].Split("</main>")[0], StringComparison.Ordinal);
        var csv = await app.Anonymous().GetStringAsync($"/dashboards/{org}/covid19/cards/contacts.csv", Ct);
        Assert.StartsWith("日付,相談件数\r\n2020-01-29,23\r\n", csv.TrimStart('\uFEFF'), StringComparison.Ordinal);

        // the 2 MB data.json is kept compressed once, in one piece (the serializer's flushes do not cut it into blocks)
        // and at a smaller level than answers compressed on the fly: smaller than Brotli's fastest level makes of the
        // whole text (with the fastest level it was 61 KB against 57 KB; in 4 KB blocks, 153 KB)
        var (br, brBytes) = await RawAsync(app.Anonymous(), $"/dashboards/{org}/covid19/data.json", "br");
        Assert.Equal("br", br.Content.Headers.ContentEncoding.Single());
        var plain = Encoding.UTF8.GetBytes(Decode("br", brBytes));
        using var once = new MemoryStream();
        using (var brotli = new System.IO.Compression.BrotliStream(once, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            brotli.Write(plain);
        }
        Assert.True(brBytes.Length < once.Length, $"{brBytes.Length:#,0} bytes stored against {once.Length:#,0} for the text in one piece ({plain.Length:#,0} bytes plain)");
    }

    private const string CallsHeader = "全国地方公共団体コード,都道府県名,市区町村名,受付_年月日,曜日,相談件数\n";

    /// <summary>The template's dashboard over a one-row call-centre table (5 calls on 2020-04-01), as published.</summary>
    private static async Task<(string Org, string ResourceId)> OneDayCallsDashboardAsync(TestApp app)
    {
        var (orgId, ds) = await app.DatasetAsync();
        var org = await OrgNameAsync(app, orgId);
        var rid = await UploadAndLoadAsync(app, ds, Calls, Encoding.UTF8.GetBytes(CallsHeader + "130001,東京都,,2020-04-01,水,5\n"));
        using var created = await app.Admin().PostAsync($"/api/dashboards/{org}/template/covid19", null, Ct);
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Equal(5, await FirstDayContactsAsync(app, org));
        return (org, rid);
    }

    /// <summary>The first day's count of data.json's "contacts", as a reader of the dashboard gets it.</summary>
    private static async Task<long> FirstDayContactsAsync(TestApp app, string org) =>
        Pairs((await GetJsonAsync(app.Anonymous(), $"/dashboards/{org}/covid19/data.json"))["contacts"])[0].Item2;

    private static async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> PageAsync(HttpClient c, string url, string? etag = null, string? lang = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (etag is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", etag);
        }
        if (lang is not null)
        {
            request.Headers.TryAddWithoutValidation("Cookie", ".AspNetCore.Culture=c%3D" + lang + "%7Cuic%3D" + lang);
        }
        var r = await c.SendAsync(request, Ct);
        return (r.StatusCode, await r.Content.ReadAsStringAsync(Ct), r);
    }

    [Theory, Databases]
    public async Task Repeats_come_from_the_output_cache_per_language_and_a_reload_or_a_saved_version_is_seen_by_the_next_request(Db db)
    {
        // no catalog polling during the test: its news (the set-up's own writes) would empty the cache at any moment
        await using var app = await TestApp.StartAsync(db, new Dictionary<string, string?> { ["OpenGov:Notifications:CatalogPollSeconds"] = "3600" });
        var (org, rid) = await OneDayCallsDashboardAsync(app);
        var url = $"/dashboards/{org}/covid19?card=contacts";

        // anonymous: the second request is served from memory, a matching If-None-Match gets 304, en is its own entry
        var (status, first, r1) = await PageAsync(app.Anonymous(), url);
        Assert.True(status == HttpStatusCode.OK, first);
        Assert.Contains(">5<", first, StringComparison.Ordinal);
        var etag = r1.Headers.ETag!.ToString();
        Assert.NotNull(r1.Content.Headers.LastModified);
        var (_, again, r2) = await PageAsync(app.Anonymous(), url);
        Assert.Equal(first, again);
        Assert.NotNull(r2.Headers.Age);
        Assert.Equal(HttpStatusCode.NotModified, (await PageAsync(app.Anonymous(), url, etag)).Status);
        var (enStatus, en, r3) = await PageAsync(app.Anonymous(), url, etag, "en");
        Assert.Equal(HttpStatusCode.OK, enStatus);
        Assert.Contains("<html lang=\"en\"", en, StringComparison.Ordinal);
        Assert.NotEqual(etag, r3.Headers.ETag!.ToString());
        Assert.Contains("<html lang=\"ja\"", (await PageAsync(app.Anonymous(), url)).Body, StringComparison.Ordinal);

        // a logged-in editor never gets the anonymous copy: the page links the editor for them
        var (_, asEditor, _) = await PageAsync(app.Admin(), $"/dashboards/{org}/covid19");
        Assert.Contains($"/dashboards/{org}/covid19/edit", asEditor, StringComparison.Ordinal);
        Assert.DoesNotContain($"/dashboards/{org}/covid19/edit", (await PageAsync(app.Anonymous(), $"/dashboards/{org}/covid19")).Body, StringComparison.Ordinal);

        // a reload: the very next request (with the old ETag) gets the new numbers
        await app.ReplaceUploadAsync(rid, Encoding.UTF8.GetBytes(CallsHeader + "130001,東京都,,2020-04-01,水,7\n"));
        var job = await app.LoadAndWaitAsync(rid);
        Assert.Equal("complete", job["status"]!.GetValue<string>());
        Assert.Equal(7, await FirstDayContactsAsync(app, org));
        var (afterStatus, after, r4) = await PageAsync(app.Anonymous(), url, etag);
        Assert.True(afterStatus == HttpStatusCode.OK, after);
        Assert.Contains(">7<", after, StringComparison.Ordinal);
        Assert.NotEqual(etag, r4.Headers.ETag!.ToString());

        // a saved version: the next request shows the new title
        var definition = await GetJsonAsync(app.Anonymous(), $"/api/dashboards/{org}/covid19");
        definition["title"]!["ja"] = "新しい題名のダッシュボード";
        using (var saved = await app.Admin().PutAsync($"/api/dashboards/{org}/covid19", new StringContent(definition.ToJsonString(), Encoding.UTF8, "application/json"), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        }
        Assert.Contains("新しい題名のダッシュボード", (await PageAsync(app.Anonymous(), $"/dashboards/{org}/covid19")).Body, StringComparison.Ordinal);
    }

    /// <summary>Sends the page's request with the given Accept-Encoding and returns the bytes as they came, undecoded.</summary>
    private static async Task<(HttpResponseMessage Response, byte[] Bytes)> RawAsync(HttpClient c, string url, string? acceptEncoding)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (acceptEncoding is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        }
        var r = await c.SendAsync(request, Ct);
        return (r, await r.Content.ReadAsByteArrayAsync(Ct));
    }

    private static string Decode(string? coding, byte[] bytes)
    {
        using var input = new MemoryStream(bytes);
        using Stream decoded = coding switch
        {
            "br" => new System.IO.Compression.BrotliStream(input, System.IO.Compression.CompressionMode.Decompress),
            "gzip" => new System.IO.Compression.GZipStream(input, System.IO.Compression.CompressionMode.Decompress),
            _ => input,
        };
        using var reader = new StreamReader(decoded, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    [Theory, Databases]
    public async Task Cached_pages_are_kept_per_content_coding_so_a_reader_gets_only_a_coding_it_accepts(Db db)
    {
        await using var app = await TestApp.StartAsync(db, new Dictionary<string, string?> { ["OpenGov:Notifications:CatalogPollSeconds"] = "3600" });
        var (org, _) = await OneDayCallsDashboardAsync(app);
        var url = $"/dashboards/{org}/covid19?card=contacts";
        var plain = (await PageAsync(app.Anonymous(), url)).Body;
        Assert.Contains(">5<", plain, StringComparison.Ordinal);

        // each coding twice: the first fills its own entry, the second is a hit (Age) in the same coding
        foreach (var (accept, coding) in new[] { ("gzip, deflate, br, zstd", "br"), ("gzip", "gzip"), ("identity", (string?)null), (null, null) })
        {
            foreach (var round in new[] { 1, 2 })
            {
                var (r, bytes) = await RawAsync(app.Anonymous(), url, accept);
                Assert.Equal(HttpStatusCode.OK, r.StatusCode);
                Assert.Equal(coding, r.Content.Headers.ContentEncoding.SingleOrDefault());
                if (coding is not null)
                {
                    Assert.Contains("Accept-Encoding", r.Headers.Vary);
                }
                Assert.Equal(plain, Decode(coding, bytes));
                if (round == 2)
                {
                    Assert.NotNull(r.Headers.Age);
                }
            }
        }

        // data.json too, and a weak ETag (the same data in several codings) still gets its 304
        var (json, jsonBytes) = await RawAsync(app.Anonymous(), $"/dashboards/{org}/covid19/data.json", "br");
        Assert.Equal("br", json.Content.Headers.ContentEncoding.Single());
        var plainJson = Decode("br", jsonBytes);
        Assert.NotNull(JsonNode.Parse(plainJson)!["contacts"]);
        var (_, hitBytes) = await RawAsync(app.Anonymous(), $"/dashboards/{org}/covid19/data.json", "br");
        Assert.Equal(jsonBytes, hitBytes);
        var etag = json.Headers.ETag!;
        Assert.True(etag.IsWeak);
        Assert.Equal(HttpStatusCode.NotModified, (await PageAsync(app.Anonymous(), $"/dashboards/{org}/covid19/data.json", etag.ToString())).Status);
    }

    [Theory, Databases]
    public async Task A_reload_renews_only_the_dashboards_reading_the_table_and_a_source_made_private_renews_its_dashboard(Db db)
    {
        // the stamp is read again on every request: what is asserted is which dashboards' stamps move, not when
        await using var app = await TestApp.StartAsync(db, new Dictionary<string, string?> { ["OpenGov:DashboardCacheCheckSeconds"] = "0" });
        var (orgA, ridA) = await OneDayCallsDashboardAsync(app);
        var (orgB, _) = await OneDayCallsDashboardAsync(app);
        var urlA = $"/dashboards/{orgA}/covid19?card=contacts";
        var urlB = $"/dashboards/{orgB}/covid19?card=contacts";
        foreach (var url in new[] { urlA, urlB })
        {
            await PageAsync(app.Anonymous(), url);
            var (_, body, hit) = await PageAsync(app.Anonymous(), url);
            Assert.Contains(">5<", body, StringComparison.Ordinal);
            Assert.NotNull(hit.Headers.Age);
        }

        // A's table is reloaded (which is also a catalog change): A is made again, B is still served from the cache
        await app.ReplaceUploadAsync(ridA, Encoding.UTF8.GetBytes(CallsHeader + "130001,東京都,,2020-04-01,水,7\n"));
        Assert.Equal("complete", (await app.LoadAndWaitAsync(ridA))["status"]!.GetValue<string>());
        var (_, a, ra) = await PageAsync(app.Anonymous(), urlA);
        Assert.Contains(">7<", a, StringComparison.Ordinal);
        Assert.Null(ra.Headers.Age);
        var (_, b, rb) = await PageAsync(app.Anonymous(), urlB);
        Assert.Contains(">5<", b, StringComparison.Ordinal);
        Assert.NotNull(rb.Headers.Age);

        // A's source dataset made private: the anonymous copy of A with its numbers is never served again
        Assert.Equal(7, await FirstDayContactsAsync(app, orgA));
        var datasetA = (await app.Admin().OkAsync("resource_show", new { id = ridA }))["package_id"]!.GetValue<string>();
        await app.Admin().OkAsync("package_patch", new Dictionary<string, object?> { ["id"] = datasetA, ["private"] = true });
        var (_, hidden, _) = await PageAsync(app.Anonymous(), urlA);
        Assert.DoesNotContain(">7<", hidden, StringComparison.Ordinal);
        Assert.Contains(">5<", (await PageAsync(app.Anonymous(), urlB)).Body, StringComparison.Ordinal);
    }

    [Theory, Databases]
    public async Task Rows_upserted_through_datastore_upsert_are_seen_by_the_next_request(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var (org, rid) = await OneDayCallsDashboardAsync(app);

        await app.Admin().OkAsync("datastore_upsert", new
        {
            resource_id = rid,
            force = true,
            method = "insert",
            records = new[] { new Dictionary<string, object?> { ["全国地方公共団体コード"] = "130001", ["受付_年月日"] = "2020-04-01", ["相談件数"] = "4" } },
        });

        Assert.Equal(9, await FirstDayContactsAsync(app, org));
    }

    [Theory, Databases]
    public async Task Definitions_are_written_by_editors_only_and_every_version_is_kept(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var (orgId, ds) = await app.DatasetAsync();
        var org = await OrgNameAsync(app, orgId);
        var rid = await app.UploadAsync(ds, "calls.csv", Encoding.UTF8.GetBytes("受付_年月日,相談件数\n2020-04-01,5\n"));
        var (privOrg, privDs) = await app.DatasetAsync(isPrivate: true);
        var privateRid = await app.UploadAsync(privDs, "secret.csv", Encoding.UTF8.GetBytes("a\n1\n"));
        string Definition(string source, string title) => $$"""
            {"slug":"x","title":{"ja":"{{title}}"},"organization":"{{org}}","cards":[{"id":"calls","title":{"ja":"相談"},"source":"{{source}}",
             "computation":{"kind":"sumPerDay","dateColumn":"受付_年月日","valueColumn":"相談件数"},"chart":"bar"}]}
            """;
        var editor = app.WithToken(await app.MemberTokenAsync(orgId, "editor"));
        var member = app.WithToken(await app.MemberTokenAsync(orgId, "member"));
        HttpContent Body(string json) => new StringContent(json, Encoding.UTF8, "application/json");

        using var anonymous = await app.Anonymous().PutAsync($"/api/dashboards/{org}/x", Body(Definition(rid, "一")), Ct);
        using var asMember = await member.PutAsync($"/api/dashboards/{org}/x", Body(Definition(rid, "一")), Ct);
        using var bad = await editor.PutAsync($"/api/dashboards/{org}/x", Body("{\"slug\":"), Ct);
        using var foreign = await editor.PutAsync($"/api/dashboards/{org}/x", Body(Definition(privateRid, "一")), Ct);
        using var first = await editor.PutAsync($"/api/dashboards/{org}/x", Body(Definition(rid, "一")), Ct);
        using var second = await editor.PutAsync($"/api/dashboards/{org}/x", Body(Definition(rid, "二")), Ct);

        Assert.Equal(HttpStatusCode.Forbidden, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, asMember.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("JSON", (await bad.Content.ReadFromJsonAsync<JsonObject>(Ct))!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
        Assert.Equal(2, (await second.Content.ReadFromJsonAsync<JsonObject>(Ct))!["version"]!.GetValue<int>());
        var versions = (await GetJsonArrayAsync(editor, $"/api/dashboards/{org}/x/versions"));
        Assert.Equal([2, 1], versions.Select(v => v!["version"]!.GetValue<int>()));
        Assert.All(versions, v => Assert.False(string.IsNullOrEmpty(v!["changedBy"]?.GetValue<string>())));
        var shown = await GetJsonAsync(app.Anonymous(), $"/api/dashboards/{org}/x");
        Assert.Equal("二", shown["title"]!["ja"]!.GetValue<string>());
        using var versionsAnon = await app.Anonymous().GetAsync($"/api/dashboards/{org}/x/versions", Ct);
        Assert.Equal(HttpStatusCode.Forbidden, versionsAnon.StatusCode);
        _ = privOrg;
    }

    private static async Task<JsonArray> GetJsonArrayAsync(HttpClient c, string url) =>
        JsonNode.Parse(await c.GetStringAsync(url, Ct))!.AsArray();

    [Theory, Databases]
    public async Task A_card_whose_column_is_missing_shows_its_own_error_while_the_others_render(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var (orgId, ds) = await app.DatasetAsync();
        var org = await OrgNameAsync(app, orgId);
        var rid = await UploadAndLoadAsync(app, ds, "calls.csv", Encoding.UTF8.GetBytes("受付_年月日,相談件数\n2020-04-01,5\n2020-04-02,-\n"));
        var json = $$"""
            {"slug":"x","title":{"ja":"テスト"},"organization":"{{org}}","cards":[
             {"id":"good","title":{"ja":"良いカード"},"source":"{{rid}}","computation":{"kind":"sumPerDay","dateColumn":"受付_年月日","valueColumn":"相談件数"},"chart":"bar"},
             {"id":"gone","title":{"ja":"列がないカード"},"source":"{{rid}}","computation":{"kind":"sumPerDay","dateColumn":"受付_年月日","valueColumn":"人数"},"chart":"line"}]}
            """;
        using var saved = await app.Admin().PutAsync($"/api/dashboards/{org}/x", new StringContent(json, Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);

        var page = await app.Anonymous().GetStringAsync($"/dashboards/{org}/x", Ct);
        var en = app.Anonymous();
        en.DefaultRequestHeaders.Add("Cookie", ".AspNetCore.Culture=c%3Den%7Cuic%3Den");

        Assert.Contains("列「人数」がありません", page, StringComparison.Ordinal);
        Assert.Contains("role=\"img\"", page, StringComparison.Ordinal);
        Assert.Contains("値が空欄または数値でない行 1 件を除外しました。", page, StringComparison.Ordinal);
        Assert.Contains("Download CSV", await en.GetStringAsync($"/dashboards/{org}/x", Ct), StringComparison.Ordinal);
    }
}
