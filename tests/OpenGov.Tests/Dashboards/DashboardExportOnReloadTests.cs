using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenGov.Dashboards;
using OpenGov.Storage;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.Dashboards;

/// <summary>OpenGov:DashboardExports: a listed dashboard's static folder is written again after each reload of its tables.</summary>
public class DashboardExportOnReloadTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static long Reported(string dataJson) =>
        JsonNode.Parse(dataJson)!["patients_summary"]!["data"]!.AsArray().Sum(x => x!["小計"]!.GetValue<long>());

    [Theory, Databases]
    public async Task A_listed_dashboard_is_exported_again_atomically_after_a_reload_and_at_start_and_a_failing_target_does_not_break_it(Db db)
    {
        var org = "tokyo-" + Guid.NewGuid().ToString("N")[..8];
        var root = Path.Combine(Path.GetTempPath(), "og-export-" + Guid.NewGuid().ToString("N")[..8]);
        var dir = Path.Combine(root, "covid19");
        Directory.CreateDirectory(root);
        var notAFolder = Path.Combine(root, "plain-file");
        await File.WriteAllTextAsync(notAFolder, "x", Ct);
        try
        {
            // the first target cannot be written (its parent is a file): logged, and the second is still exported
            await using var app = await TestApp.StartAsync(db, new Dictionary<string, string?>
            {
                ["OpenGov:DashboardExports:0:Organization"] = org,
                ["OpenGov:DashboardExports:0:Slug"] = "covid19",
                ["OpenGov:DashboardExports:0:Directory"] = Path.Combine(notAFolder, "covid19"),
                ["OpenGov:DashboardExports:1:Organization"] = org,
                ["OpenGov:DashboardExports:1:Slug"] = "covid19",
                ["OpenGov:DashboardExports:1:Directory"] = dir,
            });
            var (orgId, ds) = await app.DatasetAsync();
            using (var scope = app.Services.CreateScope())
            {
                var sdb = scope.ServiceProvider.GetRequiredService<OpenGovDb>();
                (await sdb.Organizations.SingleAsync(o => o.Id == orgId, Ct)).Name = org;
                await sdb.SaveChangesAsync(Ct);
            }
            var csv = await File.ReadAllTextAsync(DashboardCompareTests.Fixture("OpenGov.Tabular.Tests", "130001_tokyo_covid19_patients.csv"), Ct);
            var (status, body) = await app.Admin().UploadAsync(ds, "130001_tokyo_covid19_patients.csv", Encoding.UTF8.GetBytes(csv));
            Assert.True(status == 200, body.ToJsonString());
            var rid = body["result"]!["id"]!.GetValue<string>();
            Assert.Equal("complete", (await app.WaitForJobAsync(rid, TimeSpan.FromMinutes(3)))["status"]!.GetValue<string>());
            using (var created = await app.Admin().PostAsync($"/api/dashboards/{org}/template/covid19", null, Ct))
            {
                Assert.Equal(HttpStatusCode.OK, created.StatusCode);
            }
            // the first export, as an operator makes it with `admin dashboard-export`
            using (var scope = app.Services.CreateScope())
            {
                Assert.NotNull(await scope.ServiceProvider.GetRequiredService<DashboardExporter>().ExportAsync(org, "covid19", dir, Ct));
            }
            var json = Path.Combine(dir, "data.json");
            var card = Path.Combine(dir, "cards", "patients.csv");
            Assert.Equal(14645, Reported(await File.ReadAllTextAsync(json, Ct)));
            var cardBefore = await File.ReadAllTextAsync(card, Ct);

            // reload with the first 10,000 patients only
            var lines = csv.Split('\n');
            await app.ReplaceUploadAsync(rid, Encoding.UTF8.GetBytes(string.Join('\n', lines.Take(10_001)) + "\n"));
            Assert.Equal("complete", (await app.LoadAndWaitAsync(rid))["status"]!.GetValue<string>());

            var deadline = DateTime.UtcNow.AddMinutes(2);
            long reported;
            while ((reported = Reported(await File.ReadAllTextAsync(json, Ct))) == 14645 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, Ct);
            }
            Assert.Equal(10_000, reported);
            Assert.NotEqual(cardBefore, await File.ReadAllTextAsync(card, Ct));
            foreach (var f in new[] { "index.html", "index.en.html", "style.css", "charts/patients.svg" })
            {
                Assert.True(File.Exists(Path.Combine(dir, f)), f);
            }
            // written beside and swapped in: nothing but the published folder and the operator's file is left
            Assert.Equal(["covid19", "plain-file"], Directory.GetFileSystemEntries(root).Select(Path.GetFileName).Order(StringComparer.Ordinal));
            // the dashboard's own pages answer as before
            using var page = await app.Anonymous().GetAsync($"/dashboards/{org}/covid19/data.json", Ct);
            Assert.Equal(10_000, Reported(await page.Content.ReadAsStringAsync(Ct)));

            // a fresh node (same database) whose folder does not exist yet writes a current export at start
            var fresh = Path.Combine(root, "fresh");
            await using var node = await TestApp.OpenOnSameDataAsync(app, new Dictionary<string, string?> { ["OpenGov:DashboardExports:1:Directory"] = fresh });
            var freshJson = Path.Combine(fresh, "data.json");
            deadline = DateTime.UtcNow.AddMinutes(2);
            while (!File.Exists(freshJson) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, Ct);
            }
            Assert.Equal(10_000, Reported(await File.ReadAllTextAsync(freshJson, Ct)));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
