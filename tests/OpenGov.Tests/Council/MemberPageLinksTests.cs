using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OpenGov.Tests.Infrastructure;
using static OpenGov.Tests.Council.ContestTestKit;

namespace OpenGov.Tests.Council;

/// <summary>A local-government member's page leads to its datasets, dashboards, the events where it spoke and its contest entries (issue 11, point 1).</summary>
public sealed partial class MemberPageLinksTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, Databases]
    public async Task A_members_page_links_to_its_datasets_dashboards_events_and_contest_entries(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.SeedCouncilAsync();
        var admin = app.Admin();
        await admin.OkAsync("package_create", CatalogFixtures.Dataset("chiba-aed-locations", "chiba"));
        await admin.OkAsync("package_create", CatalogFixtures.Dataset("nara-only", "nara"));
        using (var put = await admin.PutAsync("/api/dashboards/chiba/chiba-status", JsonContent("""{"slug":"chiba-status","title":{"ja":"千葉市の状況","en":"Chiba at a glance"},"organization":"chiba","cards":[]}"""), Ct))
        {
            Assert.True(put.IsSuccessStatusCode, $"dashboard: {(int)put.StatusCode} {await put.Content.ReadAsStringAsync(Ct)}");
        }

        // entries: one by a user of the city's organization, one under the city's name as the team, one by an outsider, one draft by the city's user
        var secretary = await app.SecretaryAsync();
        await secretary.CreateContestAsync();
        var staff = app.WithToken(await app.CreateUserAsync("chiba-staff", organization: "chiba"));
        var outsider = app.WithToken((await app.CreateEventUserAsync("outsider")).Token);
        var byStaff = await staff.EnterAsync("千葉市職員の応募");
        var draft = await staff.EnterAsync("千葉市の下書き", submit: false);
        var (named, namedBody) = await outsider.PostJsonAsync($"/api/council/contests/{Slug}/entries",
            new { title = "千葉市チームの応募", category = "行政課題", teamName = "千葉市", submit = true });
        Assert.Equal(201, named);
        var byName = namedBody!["id"]!.GetValue<long>();
        var other = await outsider.EnterAsync("外部の応募");
        await secretary.SetDatesAsync("2020-01-02", Future);
        foreach (var e in new[] { byStaff, byName, other })
        {
            Assert.Equal(200, (await secretary.PostJsonAsync($"/api/council/contests/{Slug}/entries/{e}/screening", new { state = "accepted" })).Status);
        }

        var members = await app.Anonymous().GetJsonAsync("/api/council/members?date=2020-11-06");
        var chibaId = members["members"]!.AsArray().Single(m => m!["name"]!.GetValue<string>() == "千葉市")!["id"]!.GetValue<string>();
        var reader = app.Anonymous();
        var page = await reader.GetStringAsync($"/council/member/{chibaId}", Ct);

        // datasets: the organization and its dataset list, which holds the city's dataset and not another city's
        Assert.Contains("<a href=\"/organization/chiba\">chiba</a>", page);
        var datasets = Regex.Match(page, "<a href=\"(/dataset\\?organization=chiba)\">公開データセット 1 件</a>").Groups[1].Value;
        Assert.NotEmpty(datasets);
        var datasetList = await reader.GetStringAsync(datasets, Ct);
        Assert.Contains("/dataset/chiba-aed-locations", datasetList);
        Assert.DoesNotContain("/dataset/nara-only", datasetList);

        // dashboards
        Assert.Equal(["/dashboards/chiba/chiba-status"], Links(page, "member-dashboards"));
        Assert.Contains("千葉市の状況", await reader.GetStringAsync("/dashboards/chiba/chiba-status", Ct));

        // the events where its mayor was a panelist: the 2020 symposium
        var events = Links(page, "member-events");
        Assert.Contains("/event/symposium-2020", events);
        Assert.All(events, e => Assert.StartsWith("/event/", e));
        Assert.Contains("千葉市長", await reader.GetStringAsync("/event/symposium-2020", Ct));

        // contest entries: the accepted ones by its staff or under its name, each with its contest; no draft, no outsider's
        var entries = Links(page, "member-entries");
        Assert.Equal([$"/council/contests/{Slug}#entry-{byStaff}", $"/council/contests/{Slug}", $"/council/contests/{Slug}#entry-{byName}", $"/council/contests/{Slug}"], entries);
        Assert.DoesNotContain("千葉市の下書き", page);
        Assert.DoesNotContain("外部の応募", page);
        var contestPage = await reader.GetStringAsync(entries[1], Ct);
        foreach (var (id, title) in new[] { (byStaff, "千葉市職員の応募"), (byName, "千葉市チームの応募") })
        {
            Assert.Matches($"<li class=\"ct-card\" id=\"entry-{id}\">\\s*<h3>{title}</h3>", contestPage);
        }

        Assert.DoesNotContain($"id=\"entry-{draft}\"", contestPage);

        // a member without an organization or entries shows none of these sections
        var special = members["members"]!.AsArray().First(m => m!["kind"]!.GetValue<string>() == "special")!["id"]!.GetValue<string>();
        var specialPage = await reader.GetStringAsync($"/council/member/{special}", Ct);
        Assert.DoesNotContain("id=\"member-dashboards\"", specialPage);
        Assert.DoesNotContain("id=\"member-entries\"", specialPage);
    }

    private static StringContent JsonContent(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    /// <summary>The hrefs inside the list with the given id.</summary>
    private static List<string> Links(string page, string id)
    {
        var list = Regex.Match(page, $"<ul id=\"{id}\">(.*?)</ul>", RegexOptions.Singleline);
        Assert.True(list.Success, $"no list {id}");
        return [.. Href().Matches(list.Groups[1].Value).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value))];
    }

    [GeneratedRegex("href=\"([^\"]+)\"")]
    private static partial Regex Href();
}
