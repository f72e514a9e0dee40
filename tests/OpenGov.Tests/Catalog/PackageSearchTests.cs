using OpenGov.Accounts;
using OpenGov.Catalog;
using OpenGov.Tests.Infrastructure;
using static OpenGov.Tests.Infrastructure.SearchSeed;

namespace OpenGov.Tests.Catalog;

public class PackageSearchTests
{
    private sealed record Seeded(Organization Chiba, Organization Tsukuba, Dataset Age, Dataset Covid, Dataset Shelters, Dataset FullWidth, Dataset Private, Dataset Draft);

    private static async Task<Seeded> SeedAsync(TestApp app)
    {
        var chiba = await app.OrganizationAsync("chiba", "千葉市", "121002");
        var tsukuba = await app.OrganizationAsync("tsukuba", "つくば市", "082201");
        await app.GroupAsync("bousai", "防災");
        var age = await app.DatasetAsync(chiba, "age-population", "年齢別人口統計", notes: "年齢別の人口です。", tags: ["人口", "統計"],
            resources: [new Res("人口.csv", "CSV")], modified: new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        var covid = await app.DatasetAsync(tsukuba, "covid-patients", "新型コロナウイルス感染症陽性患者属性", tags: ["covid-19", "感染症"],
            resources: [new Res("患者.csv", "CSV"), new Res("patients.json", "JSON")], groups: ["bousai"], modified: new DateTime(2020, 2, 1, 0, 0, 0, DateTimeKind.Utc));
        var shelters = await app.DatasetAsync(chiba, "shelters", "避難所一覧", notes: "Evacuation **shelters** of the city", tags: ["防災"],
            resources: [new Res("shelters.csv", "CSV")], groups: ["bousai"], license: "pdl-1.0", modified: new DateTime(2020, 3, 1, 0, 0, 0, DateTimeKind.Utc));
        var full = await app.DatasetAsync(tsukuba, "fullwidth", "ＡＢＣ公園データ", notes: "ｺﾛﾅ対策の公園利用", resources: [new Res("parks.xlsx", "XLSX")],
            modified: new DateTime(2020, 4, 1, 0, 0, 0, DateTimeKind.Utc));
        var priv = await app.DatasetAsync(chiba, "private-budget", "予算人口", isPrivate: true, modified: new DateTime(2020, 5, 1, 0, 0, 0, DateTimeKind.Utc));
        var draft = await app.DatasetAsync(chiba, "draft-plan", "計画人口", state: "draft", modified: new DateTime(2020, 6, 1, 0, 0, 0, DateTimeKind.Utc));
        await app.DatasetAsync(chiba, "deleted-one", "人口削除", state: "deleted");
        return new Seeded(chiba, tsukuba, age, covid, shelters, full, priv, draft);
    }

    private static async Task<List<string>> NamesAsync(HttpClient client, params (string, string)[] p) =>
        [.. (await client.SearchAsync(p)).Names().Order(StringComparer.Ordinal)];

    [Theory, Databases]
    public async Task Two_character_word_is_found_inside_unspaced_japanese_text(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await SeedAsync(app);
        Assert.Equal(["age-population"], await NamesAsync(app.Anonymous(), ("q", "人口")));
    }

    [Theory, Databases]
    public async Task Three_character_word_is_found_inside_a_long_title(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await SeedAsync(app);
        Assert.Equal(["covid-patients"], await NamesAsync(app.Anonymous(), ("q", "感染症")));
        Assert.Equal(["covid-patients"], await NamesAsync(app.Anonymous(), ("q", "陽性患者")));
        Assert.Empty(await NamesAsync(app.Anonymous(), ("q", "感染病"))); // shares 感染 only (感染者 finds it: a synonym of 陽性患者)
    }

    [Theory, Databases]
    public async Task Single_character_query_matches_the_character_anywhere(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await SeedAsync(app);
        Assert.Equal(["age-population"], await NamesAsync(app.Anonymous(), ("q", "計")));
        Assert.Equal(["fullwidth"], await NamesAsync(app.Anonymous(), ("q", "園")));
        Assert.Equal(["covid-patients"], await NamesAsync(app.Anonymous(), ("q", "性")));
    }

    [Theory, Databases]
    public async Task Full_width_and_half_width_forms_are_equivalent(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await SeedAsync(app);
        Assert.Equal(["fullwidth"], await NamesAsync(app.Anonymous(), ("q", "abc")));
        Assert.Equal(["fullwidth"], await NamesAsync(app.Anonymous(), ("q", "ＡＢＣ")));
        Assert.Equal(["covid-patients", "fullwidth"], await NamesAsync(app.Anonymous(), ("q", "コロナ")));
        Assert.Equal(["covid-patients", "fullwidth"], await NamesAsync(app.Anonymous(), ("q", "ｺﾛﾅ")));
    }

    [Theory, Databases]
    public async Task Hiragana_and_katakana_find_each_other(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await SeedAsync(app);
        Assert.Equal(["covid-patients", "fullwidth"], await NamesAsync(app.Anonymous(), ("q", "ころな")));
        Assert.Equal(["covid-patients"], await NamesAsync(app.Anonymous(), ("q", "ういるす")));
        Assert.Equal(["covid-patients", "fullwidth"], await NamesAsync(app.Anonymous(), ("q", "ツクバ")));
        Assert.Equal(["covid-patients", "fullwidth"], await NamesAsync(app.Anonymous(), ("fq", "organization:tsukuba"), ("q", "つくば")));
        Assert.Equal(["fullwidth"], await NamesAsync(app.Anonymous(), ("q", "ころな ａｂｃ")));
        Assert.Empty(await NamesAsync(app.Anonymous(), ("q", "ころなる")));
    }

    [Theory, Databases]
    public async Task Search_page_finds_katakana_titles_from_a_hiragana_query(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await SeedAsync(app);
        var html = await app.Anonymous().GetStringAsync("/dataset?q=" + Uri.EscapeDataString("ころな"), TestContext.Current.CancellationToken);
        Assert.Contains("新型コロナウイルス感染症陽性患者属性", html);
        Assert.Contains("ＡＢＣ公園データ", html);
        Assert.DoesNotContain("年齢別人口統計", html);
    }

    [Theory, Databases]
    public async Task A_search_that_finds_nothing_suggests_single_words_no_filters_and_recent_datasets(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await SeedAsync(app);
        var c = app.Anonymous();
        var ct = TestContext.Current.CancellationToken;

        var html = await c.GetStringAsync("/dataset?q=" + Uri.EscapeDataString("ころな 存在しない語"), ct);
        Assert.Contains("0 件のデータセットが見つかりました", html);
        Assert.Contains("見つからないときは", html);
        Assert.Contains("href=\"/dataset?q=" + Uri.EscapeDataString("ころな") + "\">「ころな」だけで探す（2 件）", html);
        Assert.DoesNotContain("「存在しない語」だけで探す", html);
        var recent = html[html.IndexOf("最近更新されたデータセット", StringComparison.Ordinal)..];
        Assert.Contains("ＡＢＣ公園データ", recent);
        Assert.DoesNotContain("予算人口", recent); // private datasets stay hidden

        html = await c.GetStringAsync("/dataset?q=" + Uri.EscapeDataString("人口") + "&res_format=JSON", ct);
        Assert.Contains("絞り込みを外して探す（1 件）", html);

        html = await c.GetStringAsync("/dataset?lang=en&q=" + Uri.EscapeDataString("zzzz"), ct);
        Assert.Contains("Nothing found? Try this", html);
        Assert.Contains("Recently updated datasets", html);

        html = await c.GetStringAsync("/dataset?q=" + Uri.EscapeDataString("人口"), ct);
        Assert.DoesNotContain("見つからないときは", html);
    }

    [Theory, Databases]
    public async Task Latin_words_match_whole_words_and_all_terms_are_required(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await SeedAsync(app);
        Assert.Equal(["shelters"], await NamesAsync(app.Anonymous(), ("q", "Evacuation")));
        Assert.Equal(["shelters"], await NamesAsync(app.Anonymous(), ("q", "evacuation SHELTERS")));
        Assert.Empty(await NamesAsync(app.Anonymous(), ("q", "evacuation nowhere")));
        Assert.Empty(await NamesAsync(app.Anonymous(), ("q", "evac")));
        Assert.Equal(["covid-patients"], await NamesAsync(app.Anonymous(), ("q", "COVID-19")));
    }

    [Theory, Databases]
    public async Task Default_query_lists_public_active_datasets_newest_first(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await SeedAsync(app);
        var result = await app.Anonymous().SearchAsync();
        Assert.Equal(4, result["count"]!.GetValue<int>());
        Assert.Equal(["fullwidth", "shelters", "covid-patients", "age-population"], result.Names());
        Assert.Equal("score desc, metadata_modified desc", result["sort"]!.GetValue<string>());
        Assert.Empty(result["facets"]!.AsObject());
        Assert.Empty(result["search_facets"]!.AsObject());
        var first = result["results"]![0]!;
        Assert.Equal("つくば市", first["organization"]!["title"]!.GetValue<string>());
        Assert.Equal("XLSX", first["resources"]![0]!["format"]!.GetValue<string>());
    }

    [Theory, Databases]
    public async Task Facets_count_matching_datasets_per_value(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await SeedAsync(app);
        var result = await app.Anonymous().SearchAsync(("facet.field", "[\"organization\",\"tags\",\"res_format\",\"license_id\",\"groups\"]"));
        var facets = result["facets"]!;
        Assert.Equal(2, facets["organization"]!["chiba"]!.GetValue<int>());
        Assert.Equal(2, facets["organization"]!["tsukuba"]!.GetValue<int>());
        Assert.Equal(3, facets["res_format"]!["CSV"]!.GetValue<int>());
        Assert.Equal(1, facets["res_format"]!["JSON"]!.GetValue<int>());
        Assert.Equal(3, facets["license_id"]!["cc-by-4.0"]!.GetValue<int>());
        Assert.Equal(2, facets["groups"]!["bousai"]!.GetValue<int>());
        Assert.Equal(5, facets["tags"]!.AsObject().Count);

        var org = result["search_facets"]!["organization"]!;
        Assert.Equal("organization", org["title"]!.GetValue<string>());
        var items = org["items"]!.AsArray();
        Assert.Equal(["千葉市", "つくば市"], items.Select(i => i!["display_name"]!.GetValue<string>()).ToList()); // display_name descending, as CKAN sorts
        Assert.Equal("chiba", items[0]!["name"]!.GetValue<string>());
        Assert.Equal(2, items[0]!["count"]!.GetValue<int>());
        var license = result["search_facets"]!["license_id"]!["items"]!.AsArray();
        Assert.Contains(license, i => i!["name"]!.GetValue<string>() == "pdl-1.0" && i["display_name"]!.GetValue<string>().Contains("公共データ利用規約", StringComparison.Ordinal));
    }

    [Theory, Databases]
    public async Task Facets_follow_the_query_limit_and_mincount(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await SeedAsync(app);
        var client = app.Anonymous();
        var narrowed = await client.SearchAsync(("q", "人口"), ("facet.field", "[\"tags\"]"));
        Assert.Equal(["人口", "統計"], narrowed["facets"]!["tags"]!.AsObject().Select(kv => kv.Key).Order(StringComparer.Ordinal).ToList());

        var limited = await client.SearchAsync(("facet.field", "[\"res_format\"]"), ("facet.limit", "1"));
        Assert.Equal(["CSV"], limited["facets"]!["res_format"]!.AsObject().Select(kv => kv.Key).ToList());

        var mincount = await client.SearchAsync(("facet.field", "[\"res_format\"]"), ("facet.mincount", "2"));
        Assert.Equal(["CSV"], mincount["facets"]!["res_format"]!.AsObject().Select(kv => kv.Key).ToList());

        var unlimited = await client.SearchAsync(("facet.field", "[\"res_format\"]"), ("facet.limit", "-1"));
        Assert.Equal(3, unlimited["facets"]!["res_format"]!.AsObject().Count);
    }

    [Theory, Databases]
    public async Task Filter_queries_combine_like_solr(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var s = await SeedAsync(app);
        var c = app.Anonymous();
        Assert.Equal(["age-population", "shelters"], await NamesAsync(c, ("fq", "organization:chiba")));
        Assert.Equal(["shelters"], await NamesAsync(c, ("fq", "organization:chiba tags:防災")));
        Assert.Equal(["shelters"], await NamesAsync(c, ("fq", "+organization:\"chiba\" AND +tags:\"防災\"")));
        Assert.Equal(["covid-patients", "fullwidth"], await NamesAsync(c, ("fq", "-organization:chiba")));
        Assert.Equal(["covid-patients"], await NamesAsync(c, ("fq", "res_format:\"CSV\" +organization:tsukuba")));
        Assert.Equal(["age-population", "shelters"], await NamesAsync(c, ("fq", "tags:(人口 OR 防災)")));
        Assert.Equal(["age-population", "covid-patients", "fullwidth", "shelters"], await NamesAsync(c, ("fq", "organization:chiba OR organization:tsukuba")));
        Assert.Equal(["shelters"], await NamesAsync(c, ("fq", "license_id:pdl-1.0")));
        Assert.Equal(["covid-patients", "shelters"], await NamesAsync(c, ("fq", "groups:bousai")));
        Assert.Equal(["shelters"], await NamesAsync(c, ("fq", "name:shelters")));
        Assert.Equal(["covid-patients"], await NamesAsync(c, ("fq", "id:" + s.Covid.Id)));
        Assert.Equal(["age-population", "shelters"], await NamesAsync(c, ("fq", "owner_org:" + s.Chiba.Id)));
        Assert.Equal(["age-population"], await NamesAsync(c, ("q", "人口"), ("fq", "organization:chiba")));
        Assert.Equal(["covid-patients"], await NamesAsync(c, ("q", "organization:tsukuba tags:感染症")));
        Assert.Equal(["fullwidth"], await NamesAsync(c, ("q", "コロナ -tags:感染症")));
        Assert.Equal(["covid-patients", "fullwidth"], await NamesAsync(c, ("fq", "metadata_modified:[2020-01-15T00:00:00Z TO 2020-04-15T00:00:00Z] -res_format:CSV OR name:covid-patients")));
        Assert.Equal(["fullwidth", "shelters"], await NamesAsync(c, ("fq", "metadata_modified:[2020-02-15T00:00:00Z TO NOW]")));
    }

    [Theory, Databases]
    public async Task Paging_and_sorting(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await SeedAsync(app);
        var c = app.Anonymous();
        var page1 = await c.SearchAsync(("rows", "2"), ("sort", "metadata_modified desc"));
        var page2 = await c.SearchAsync(("rows", "2"), ("start", "2"), ("sort", "metadata_modified desc"));
        Assert.Equal(4, page1["count"]!.GetValue<int>());
        Assert.Equal(["fullwidth", "shelters"], page1.Names());
        Assert.Equal(["covid-patients", "age-population"], page2.Names());
        Assert.Empty((await c.SearchAsync(("rows", "2"), ("start", "10"))).Names());

        Assert.Equal(["age-population", "covid-patients", "fullwidth", "shelters"], (await c.SearchAsync(("sort", "name asc"))).Names());
        Assert.Equal(["age-population", "covid-patients", "shelters", "fullwidth"], (await c.SearchAsync(("sort", "metadata_created asc"))).Names());
        Assert.Equal(["shelters", "fullwidth", "covid-patients", "age-population"], (await c.SearchAsync(("sort", "name desc"))).Names());
        var byTitle = await c.SearchAsync(("sort", "title_string asc"));
        Assert.Equal("title_string asc", byTitle["sort"]!.GetValue<string>());
        Assert.Equal(["age-population", "covid-patients", "shelters", "fullwidth"], byTitle.Names()); // 年 < 新 < 避 < Ａ in code point order
        Assert.Equal(4, (await c.SearchAsync(("sort", "views_recent desc"))).Names().Count);
    }

    [Theory, Databases]
    public async Task Rows_above_the_maximum_are_capped_and_negative_rows_refused(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await SeedAsync(app);
        var result = await app.Anonymous().SearchAsync(("rows", "5000"));
        Assert.Equal(4, result.Names().Count);
        var (status, body) = await app.Anonymous().ActionAsync("package_search", new { rows = -1 });
        Assert.Equal(409, status);
        Assert.Equal("Validation Error", body["error"]!["__type"]!.GetValue<string>());
    }

    [Theory, Databases]
    public async Task Bad_query_syntax_is_a_search_query_error(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await SeedAsync(app);
        foreach (var data in new object[]
        {
            new { fq = "organization:(chiba" },
            new { fq = "num_resources:[one TO 3]" },
            new { fq = "metadata_modified:[yesterday TO *]" },
            new { fq = "title:*ccident" },
            new { fq = "name:[a TO b]" },
            new { fq = "tags:\"unclosed" },
            new { q = "name:(a" },
            new { sort = "bogus asc" },
            new { sort = "name sideways" },
        })
        {
            var (status, body) = await app.Anonymous().ActionAsync("package_search", data);
            Assert.True(status == 400, $"{System.Text.Json.JsonSerializer.Serialize(data)} answered {status}");
            Assert.Equal("Search Query Error", body["error"]!["__type"]!.GetValue<string>());
            Assert.False(body["success"]!.GetValue<bool>());
        }

        // A plain-text q with stray syntax is searched as words, as Solr's dismax does.
        var (okStatus, _) = await app.Anonymous().ActionAsync("package_search", new { q = "人口 \"" });
        Assert.Equal(200, okStatus);
    }

    [Theory, Databases]
    public async Task Private_datasets_are_shown_only_to_their_organization_and_sysadmins(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var s = await SeedAsync(app);
        var (_, member) = await app.UserAsync("chiba-member", s.Chiba, Roles.Member);
        var (_, other) = await app.UserAsync("tsukuba-editor", s.Tsukuba, Roles.Editor);
        (string, string)[] includePrivate = [("q", "人口"), ("include_private", "true")];

        Assert.Equal(["age-population"], await NamesAsync(app.Anonymous(), includePrivate));
        Assert.Equal(["age-population"], await NamesAsync(app.WithToken(other), includePrivate));
        Assert.Equal(["age-population", "private-budget"], await NamesAsync(app.WithToken(member), includePrivate));
        Assert.Equal(["age-population"], await NamesAsync(app.WithToken(member), ("q", "人口")));
        Assert.Equal(["age-population", "private-budget"], await NamesAsync(app.Admin(), includePrivate));

        var privateDict = (await app.WithToken(member).SearchAsync(includePrivate)).AsObject()["results"]!.AsArray().First(r => r!["name"]!.GetValue<string>() == "private-budget")!;
        Assert.True(privateDict["private"]!.GetValue<bool>());
    }

    [Theory, Databases]
    public async Task Drafts_need_include_drafts_and_membership(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var s = await SeedAsync(app);
        var (_, member) = await app.UserAsync("chiba-editor", s.Chiba, Roles.Editor);
        Assert.Equal(["age-population", "draft-plan"], await NamesAsync(app.WithToken(member), ("q", "人口"), ("include_drafts", "true")));
        Assert.Equal(["age-population"], await NamesAsync(app.Anonymous(), ("q", "人口"), ("include_drafts", "true")));
        Assert.Equal(["age-population"], await NamesAsync(app.WithToken(member), ("q", "人口")));
    }

    [Theory, Databases]
    public async Task Index_follows_changes_and_deletions(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var s = await SeedAsync(app);
        await app.UpdateDatasetAsync(s.Shelters.Id, d => d.Title = "指定緊急避難場所");
        Assert.Equal(["shelters"], await NamesAsync(app.Anonymous(), ("q", "緊急")));
        Assert.Empty(await NamesAsync(app.Anonymous(), ("q", "一覧")));

        await app.UpdateDatasetAsync(s.Shelters.Id, d => d.State = "deleted");
        Assert.Empty(await NamesAsync(app.Anonymous(), ("q", "緊急")));
        Assert.Equal(3, (await app.Anonymous().SearchAsync())["count"]!.GetValue<int>());
    }

    [Theory, Databases]
    public async Task Post_body_with_json_lists_works_like_get(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await SeedAsync(app);
        var result = await app.Anonymous().OkAsync("package_search", new Dictionary<string, object>
        {
            ["q"] = "感染症",
            ["facet.field"] = new[] { "organization" },
            ["rows"] = 1,
        });
        Assert.Equal(1, result["count"]!.GetValue<int>());
        Assert.Equal(1, result["facets"]!["organization"]!["tsukuba"]!.GetValue<int>());
        Assert.Equal("新型コロナウイルス感染症陽性患者属性", result["results"]![0]!["title"]!.GetValue<string>());
    }

    [Theory, Databases]
    public async Task Title_and_notes_fields_restrict_text_search(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await SeedAsync(app);
        Assert.Equal(["fullwidth"], await NamesAsync(app.Anonymous(), ("q", "notes:対策")));
        Assert.Empty(await NamesAsync(app.Anonymous(), ("q", "title:対策")));
        Assert.Equal(["age-population"], await NamesAsync(app.Anonymous(), ("q", "title:人口")));
    }
}
