using OpenGov.Catalog.Editing;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.Catalog;

/// <summary>
/// No write stalls the site (issue 15, point 3): while the largest package the limits allow is being written, a
/// question posted to a live event is accepted (not refused, not a 500, not a timeout). How fast is a benchmark
/// figure (bench/write-stall.sh, docs/benchmarks.md), not asserted here.
/// </summary>
public sealed class BigWriteTests
{
    [Theory, Databases]
    public async Task A_question_posted_while_the_largest_allowed_package_is_written_is_accepted(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateOrganizationAsync("chiba", "千葉市");
        await app.CreateEventAsync("sym", new { questionCode = "q1" });
        var limits = new PackageLimits();
        var package = new
        {
            name = "largest",
            owner_org = "chiba",
            notes = new string('あ', limits.MaxNotesLength),
            tags = Enumerable.Range(0, limits.MaxTags).Select(i => new { name = $"タグ{i:000}" }).ToArray(),
            extras = Enumerable.Range(0, limits.MaxExtras).Select(i => new { key = $"項目{i:000}", value = $"値{i}" }).ToArray(),
            resources = Enumerable.Range(0, limits.MaxResources)
                .Select(i => new { name = $"資料{i:0000}", url = $"https://example.jp/{i}.csv", format = "CSV", description = $"{i}番目の資料" }).ToArray(),
        };

        var admin = app.Admin();
        var write = admin.ActionAsync("package_create", package);
        var asked = new List<long>();
        do
        {
            // each from its own phone, posted before the package write was answered; each must succeed: 200, not a 500 or a busy database
            asked.Add(await app.Participant().AskAsync("q1", $"大きな書き込みの最中の質問 {asked.Count + 1}"));
        }
        while (!write.IsCompleted && asked.Count < 20);

        var (status, body) = await write;
        Assert.True(status == 200, $"package_create: {status} {body.ToJsonString()[..Math.Min(300, body.ToJsonString().Length)]}");
        Assert.Equal(limits.MaxResources, body["result"]!["resources"]!.AsArray().Count);
        Assert.Equal(asked.Count, (await app.PublicQuestionsAsync("q1")).Count);
    }
}
