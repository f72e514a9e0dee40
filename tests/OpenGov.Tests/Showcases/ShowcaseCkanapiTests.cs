using System.Diagnostics;
using System.Text.Json.Nodes;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.Showcases;

/// <summary>
/// The real Python ckanapi (vendored in tests/tools/ckanapi, run on /usr/bin/python3) calls the showcase actions over
/// HTTP: the command line creates a showcase and links datasets; ckanapi's RemoteCKAN maps our errors to its
/// ValidationError, NotAuthorized and NotFound, as it does CKAN's.
/// </summary>
public class ShowcaseCkanapiTests
{
    private const string Python = "/usr/bin/python3";

    [Theory, Databases]
    public async Task Ckanapi_creates_links_lists_and_deletes_showcases_and_reads_our_errors_as_ckan_errors(Db db)
    {
        var tools = RequireCkanapi();
        await using var app = await TestApp.StartAsync(db, kestrel: true);
        using (var admin = new HttpClient { BaseAddress = app.BaseAddress })
        {
            admin.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", app.AdminToken);
            await admin.OkAsync("organization_create", new { name = "tokyo", title = "東京都" });
            await admin.OkAsync("package_create", CatalogFixtures.Dataset("patients", "tokyo"));
            await admin.OkAsync("package_create", CatalogFixtures.Dataset("call-center", "tokyo"));
        }

        var site = app.BaseAddress.ToString().TrimEnd('/');
        var created = JsonNode.Parse(await CliAsync(tools, "action", "ckanext_showcase_create", "name=stopcovid19",
            "title=東京都 新型コロナウイルス感染症対策サイト", "url=https://stopcovid19.metro.tokyo.lg.jp/", "tags:[{\"name\": \"COVID-19\"}]",
            "-r", site, "-a", app.AdminToken))!;
        Assert.Equal("showcase", created["type"]!.GetValue<string>());
        Assert.Equal("COVID-19", created["tags"]![0]!["name"]!.GetValue<string>());
        foreach (var dataset in new[] { "patients", "call-center" })
        {
            await CliAsync(tools, "action", "ckanext_showcase_package_association_create", "package_id=" + dataset, "showcase_id=stopcovid19", "-r", site, "-a", app.AdminToken);
        }

        var packages = JsonNode.Parse(await CliAsync(tools, "action", "ckanext_showcase_package_list", "showcase_id=stopcovid19", "-r", site))!.AsArray();
        Assert.Equal(["call-center", "patients"], packages.Select(p => p!["name"]!.GetValue<string>()).Order());
        var showcases = JsonNode.Parse(await CliAsync(tools, "action", "ckanext_package_showcase_list", "package_id=patients", "-r", site, "-g"))!.AsArray();
        Assert.Equal("stopcovid19", showcases.Single()!["name"]!.GetValue<string>());
        var shown = JsonNode.Parse(await CliAsync(tools, "action", "ckanext_showcase_show", "id=stopcovid19", "-r", site))!;
        Assert.Equal(2, shown["num_datasets"]!.GetValue<int>());

        // RemoteCKAN turns each error envelope into the exception CKAN's would give
        var script = """
            import sys
            from ckanapi import RemoteCKAN, ValidationError, NotAuthorized, NotFound
            site, key = sys.argv[1], sys.argv[2]
            admin, anon = RemoteCKAN(site, apikey=key), RemoteCKAN(site)
            def expect(exc, call):
                try:
                    call()
                except exc as e:
                    return e
                raise SystemExit('no %s' % exc.__name__)
            e = expect(ValidationError, lambda: admin.action.ckanext_showcase_create(name='stopcovid19'))
            assert e.error_dict['name'] == ['That URL is already in use.'], e.error_dict
            e = expect(ValidationError, lambda: admin.action.ckanext_showcase_package_association_create(package_id='nope', showcase_id='stopcovid19'))
            assert e.error_dict['package_id'] == ['Not found: Dataset'], e.error_dict
            expect(NotAuthorized, lambda: anon.action.ckanext_showcase_create(name='by-anonymous'))
            expect(NotAuthorized, lambda: anon.action.ckanext_showcase_delete(id='stopcovid19'))
            expect(NotFound, lambda: anon.action.ckanext_showcase_show(id='nope'))
            admin.action.ckanext_showcase_package_association_delete(package_id='call-center', showcase_id='stopcovid19')
            assert [p['name'] for p in anon.action.ckanext_showcase_package_list(showcase_id='stopcovid19')] == ['patients']
            admin.action.ckanext_showcase_delete(id='stopcovid19')
            assert anon.action.ckanext_package_showcase_list(package_id='patients') == []
            assert anon.action.ckanext_showcase_list() == []
            print('ok')
            """;
        Assert.Equal("ok", (await RunAsync([Python, "-c", script, site, app.AdminToken], tools.Library)).Trim());
    }

    private sealed record Ckanapi(string Bin, string Library);

    /// <summary>The vendored ckanapi; skips when /usr/bin/python3 lacks its modules (.ci/run installs them).</summary>
    private static Ckanapi RequireCkanapi()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "tests", "tools", "ckanapi")))
        {
            dir = dir.Parent;
        }

        Assert.True(dir is not null, "tests/tools/ckanapi not found above " + AppContext.BaseDirectory);
        if (!File.Exists(Python))
        {
            Assert.Skip($"{Python} is missing: apt-get install python3 python3-requests python3-docopt python3-simplejson python3-slugify");
        }

        using var check = Process.Start(new ProcessStartInfo(Python, ["-c", "import requests, docopt, simplejson, slugify"]) { RedirectStandardError = true })!;
        check.WaitForExit();
        if (check.ExitCode != 0)
        {
            Assert.Skip($"{Python} lacks ckanapi's modules: apt-get install python3-requests python3-docopt python3-simplejson python3-slugify");
        }

        var library = Path.Combine(dir.FullName, "tests", "tools", "ckanapi");
        return new Ckanapi(Path.Combine(library, "bin"), library);
    }

    /// <summary>`ckanapi ARGS`: its standard output; fails with its output unless it exits 0.</summary>
    private static Task<string> CliAsync(Ckanapi tools, params string[] args) =>
        RunAsync([Python, Path.Combine(tools.Bin, "ckanapi"), .. args], null, tools.Bin);

    private static async Task<string> RunAsync(string[] command, string? pythonPath, string? bin = null)
    {
        var start = new ProcessStartInfo(command[0], command[1..])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["PATH"] = (bin is null ? "" : bin + ":") + "/usr/bin:/bin";
        start.Environment.Remove("PYTHONHOME");
        if (pythonPath is null)
        {
            start.Environment.Remove("PYTHONPATH");
        }
        else
        {
            start.Environment["PYTHONPATH"] = pythonPath;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        var output = await stdout;
        Assert.True(process.ExitCode == 0, $"{string.Join(' ', command.Skip(1).Select(a => a.StartsWith("admin-", StringComparison.Ordinal) ? "***" : a))} exited {process.ExitCode}:\n{output}\n{await stderr}");
        return output;
    }
}
