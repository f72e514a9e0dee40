using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenGov.Showcases;
using OpenGov.Storage;
using OpenGov.Tests.Infrastructure;
using static OpenGov.Tests.Council.ContestTestKit;

namespace OpenGov.Tests.Council;

/// <summary>An awarded contest entry becomes a showcase in one step; showcase writes are audited.</summary>
public sealed class ContestShowcaseTests
{
    [Theory, Databases]
    public async Task An_awarded_entry_becomes_a_showcase_once_linked_to_its_datasets_and_contest(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateOrganizationAsync("chiba", "千葉市");
        await app.Admin().OkAsync("package_create", CatalogFixtures.Dataset("chiba-aed", "chiba"));
        var secretary = await app.SecretaryAsync();
        await secretary.CreateContestAsync();
        var entrant = app.WithToken((await app.CreateEventUserAsync("entrant")).Token);
        var awarded = await entrant.EnterAsync("AEDマップ", datasets: "chiba-aed");
        var plain = await entrant.EnterAsync("ごみ分別");
        await secretary.SetDatesAsync("2020-01-02", "2020-01-03");
        foreach (var e in new[] { awarded, plain })
        {
            Assert.Equal(200, (await secretary.PostJsonAsync($"/api/council/contests/{Slug}/entries/{e}/screening", new { state = "accepted" })).Status);
        }

        Assert.Equal(201, (await secretary.PostJsonAsync($"/api/council/contests/{Slug}/awards", new { entry = awarded, name = "最優秀賞", nameEn = "Grand prize" })).Status);
        var url = $"/api/council/contests/{Slug}/entries/{awarded}/showcase";

        // only the secretariat, only an awarded entry
        Assert.Equal(403, (await entrant.PostJsonAsync(url)).Status);
        var (refused, why) = await secretary.PostJsonAsync($"/api/council/contests/{Slug}/entries/{plain}/showcase");
        Assert.Equal(400, refused);
        Assert.Equal("活用事例にできるのは賞を受けた応募だけです。", why!["error"]!.GetValue<string>());
        var (_, whyEn) = await secretary.PostJsonAsync($"/api/council/contests/{Slug}/entries/{plain}/showcase?lang=en");
        Assert.Equal("Only an entry with an award can become a showcase.", whyEn!["error"]!.GetValue<string>());
        Assert.Equal(404, (await secretary.PostJsonAsync($"/api/council/contests/{Slug}/entries/999999/showcase")).Status);

        // the showcase's name taken by a dataset: refused, nothing made; free again once the dataset is deleted
        await app.Admin().OkAsync("package_create", CatalogFixtures.Dataset($"{Slug}-entry-{awarded}", "chiba"));
        var (taken, takenWhy) = await secretary.PostJsonAsync(url);
        Assert.Equal(400, taken);
        Assert.Equal($"URL名「{Slug}-entry-{awarded}」はすでに使われています（活用事例またはデータセット）。", takenWhy!["error"]!.GetValue<string>());
        Assert.Empty((await app.Anonymous().GetOkAsync("ckanext_showcase_list")).AsArray());
        await app.Admin().OkAsync("package_delete", new { id = $"{Slug}-entry-{awarded}" });

        var (status, made) = await secretary.PostJsonAsync(url);
        Assert.Equal(201, status);
        Assert.True(made!["created"]!.GetValue<bool>());
        var name = made["showcase"]!.GetValue<string>();
        Assert.Equal($"{Slug}-entry-{awarded}", name);

        var showcase = await app.Anonymous().GetOkAsync("ckanext_showcase_show?id=" + name);
        Assert.Equal("AEDマップ", showcase["title"]!.GetValue<string>());
        Assert.Equal("https://example.jp/6", showcase["url"]!.GetValue<string>());
        Assert.Contains("最優秀賞", showcase["notes"]!.GetValue<string>());
        var linked = await app.Anonymous().GetOkAsync("ckanext_showcase_package_list?showcase_id=" + name);
        Assert.Equal(["chiba-aed"], linked.AsArray().Select(d => d!["name"]!.GetValue<string>()));

        // a second request changes nothing
        var (again, same) = await secretary.PostJsonAsync(url);
        Assert.Equal(200, again);
        Assert.False(same!["created"]!.GetValue<bool>());
        Assert.Single((await app.Anonymous().GetOkAsync("ckanext_showcase_list")).AsArray());

        // the showcase page names the contest and award; the console links the showcase
        var page = await app.Anonymous().GetStringAsync("/showcase/" + name, TestContext.Current.CancellationToken);
        Assert.Contains("id=\"contest-origin\"", page);
        Assert.Contains("最優秀賞", page);
        var console = await secretary.GetStringAsync($"/council/contests/{Slug}/console", TestContext.Current.CancellationToken);
        Assert.Contains("/showcase/" + name, console);

        // the showcase's creation and its dataset link are in the showcase's audit, by the secretary
        await using var scope = app.Services.CreateAsyncScope();
        var dbx = scope.ServiceProvider.GetRequiredService<OpenGovDb>();
        var id = showcase["id"]!.GetValue<string>();
        var audit = await ShowcaseAudit.HistoryAsync(dbx, id, TestContext.Current.CancellationToken);
        Assert.Contains(audit, a => a.EntityType == nameof(Showcase) && a.Action == "create" && a.UserName == "jimukyoku");
        Assert.Contains(audit, a => a.EntityType == nameof(ShowcaseDataset) && a.Action == "create");
        Assert.Equal(1, await dbx.Set<OpenGov.Council.Contests.ContestEntry>().CountAsync(e => e.ShowcaseId == id, TestContext.Current.CancellationToken));

        // the history's read side: the secretariat (not a showcase admin) reads it as an action and on the page, in readable Japanese; others do not
        var activity = (await secretary.GetOkAsync("ckanext_showcase_activity_list?id=" + name)).AsArray();
        Assert.Contains(activity, a => a!["activity_type"]!.GetValue<string>() == "new showcase" && a["user_name"]!.GetValue<string>() == "jimukyoku"
            && a["details"]!.AsArray().Any(d => d!.GetValue<string>() == "タイトル：「AEDマップ」"));
        Assert.Contains(activity, a => a!["summary"]!.GetValue<string>() == "データセット「chiba-aed」を関連付けました");
        Assert.Equal(403, (await entrant.ActionAsync("ckanext_showcase_activity_list?id=" + name)).Status);
        var history = await secretary.GetStringAsync("/showcase/" + name, TestContext.Current.CancellationToken);
        Assert.Contains("id=\"history\"", history);
        Assert.Contains("データセット「chiba-aed」を関連付けました", history);
        Assert.DoesNotContain("id=\"history\"", page);
    }

    [Theory, Databases]
    public async Task Creating_updating_and_deleting_a_showcase_are_audited_with_what_changed(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var admin = app.Admin();
        await admin.OkAsync("ckanext_showcase_create", new System.Text.Json.Nodes.JsonObject { ["name"] = "audited", ["title"] = "監査される事例" });
        await admin.OkAsync("ckanext_showcase_update", new System.Text.Json.Nodes.JsonObject { ["id"] = "audited", ["title"] = "題名を直した事例" });
        var id = (await app.Anonymous().GetOkAsync("ckanext_showcase_show?id=audited"))["id"]!.GetValue<string>();
        var read = (await admin.GetOkAsync("ckanext_showcase_activity_list?id=audited")).AsArray();
        Assert.Equal(["changed showcase", "new showcase"], read.Select(a => a!["activity_type"]!.GetValue<string>()));
        Assert.Contains("タイトル：「監査される事例」→「題名を直した事例」", read[0]!["details"]!.AsArray().Select(d => d!.GetValue<string>()));
        Assert.Matches(@"^\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}$", read[0]!["timestamp_jst"]!.GetValue<string>());
        Assert.Contains("Title: “監査される事例” → “題名を直した事例”", (await admin.GetOkAsync("ckanext_showcase_activity_list?id=audited&lang=en"))[0]!["details"]!.AsArray().Select(d => d!.GetValue<string>()));
        Assert.Equal(403, (await app.Anonymous().ActionAsync("ckanext_showcase_activity_list?id=audited")).Status);
        await admin.OkAsync("ckanext_showcase_delete", new System.Text.Json.Nodes.JsonObject { ["id"] = "audited" });

        await using var scope = app.Services.CreateAsyncScope();
        var dbx = scope.ServiceProvider.GetRequiredService<OpenGovDb>();
        var audit = await ShowcaseAudit.HistoryAsync(dbx, id, TestContext.Current.CancellationToken);
        Assert.Equal(["delete", "update", "create"], audit.Select(a => a.Action));
        Assert.Contains("題名を直した事例", audit[1].Changes);
    }
}
