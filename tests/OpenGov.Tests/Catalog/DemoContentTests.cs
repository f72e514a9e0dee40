using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenGov.Storage;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.Catalog;

public class DemoContentTests
{
    private static readonly Dictionary<string, string?> Demo = new() { ["OpenGov:Demo"] = "true" };

    [Theory, Databases]
    public async Task Demo_loads_every_council_member_with_a_valid_local_government_code(Db db)
    {
        await using var app = await TestApp.StartAsync(db, Demo);
        using var scope = app.Services.CreateScope();
        var store = scope.ServiceProvider.GetRequiredService<OpenGovDb>();
        var orgs = await store.Organizations.ToDictionaryAsync(o => o.Name, TestContext.Current.CancellationToken);

        Assert.Equal("121002", orgs["chiba"].LocalGovCode);
        Assert.Equal("082201", orgs["tsukuba"].LocalGovCode);
        Assert.Equal("452041", orgs["nichinan"].LocalGovCode);
        Assert.Equal("130001", orgs["tokyo"].LocalGovCode);
        Assert.Null(orgs["okfj"].LocalGovCode);
        Assert.Equal(12, orgs.Values.Count(o => o.Description.Contains("一般会員", StringComparison.Ordinal)));
        Assert.Equal(6, orgs.Values.Count(o => o.Description.Contains("特別会員", StringComparison.Ordinal)));
        foreach (var code in orgs.Values.Select(o => o.LocalGovCode).OfType<string>())
        {
            Assert.True(OpenGov.Tabular.LocalGovCode.IsValid(code), code);
        }
    }

    [Theory, Databases]
    public async Task Demo_publishes_tokyo_covid19_datasets_with_their_real_csv_files(Db db)
    {
        await using var app = await TestApp.StartAsync(db, Demo);
        var pkg = await app.Anonymous().GetOkAsync("package_show?id=130001-tokyo-covid19-call-center");

        Assert.Equal("東京都 新型コロナコールセンター相談件数", pkg["title"]!.GetValue<string>());
        Assert.Equal("tokyo", pkg["organization"]!["name"]!.GetValue<string>());
        Assert.Equal("cc-by-4.0", pkg["license_id"]!.GetValue<string>());
        var resource = pkg["resources"]![0]!;
        Assert.Equal("upload", resource["url_type"]!.GetValue<string>());
        Assert.Equal(10624, resource["size"]!.GetValue<long>());
        Assert.StartsWith("sha256:", resource["hash"]!.GetValue<string>());
        var stored = Directory.GetFiles(Path.Combine(app.DataDirectory, "uploads"), "130001_tokyo_covid19_call_center.csv", SearchOption.AllDirectories);
        Assert.Single(stored);
    }

    [Theory, Databases]
    public async Task Demo_is_idempotent_across_restarts(Db db)
    {
        await using var app = await TestApp.StartAsync(db, Demo);
        using var scope = app.Services.CreateScope();
        await OpenGov.Hosting.StartupTasks.RunAsync(scope.ServiceProvider, TestContext.Current.CancellationToken);
        var store = scope.ServiceProvider.GetRequiredService<OpenGovDb>();
        Assert.Equal(19, await store.Organizations.CountAsync(TestContext.Current.CancellationToken));
        Assert.Equal(4, await store.Datasets.CountAsync(d => d.Name.StartsWith("130001-"), TestContext.Current.CancellationToken));
    }
}
