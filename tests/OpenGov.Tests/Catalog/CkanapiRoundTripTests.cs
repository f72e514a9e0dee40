using System.Diagnostics;
using System.Text.Json.Nodes;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.Catalog;

/// <summary>
/// A migration with the real Python ckanapi command line (vendored in tests/tools/ckanapi, run on Debian's
/// /usr/bin/python3): <c>ckanapi dump</c> organizations, groups and datasets from one instance over HTTP, then
/// <c>ckanapi load</c> them into a fresh instance with its sysadmin's key. Ids, names and resources must arrive as
/// they left; a second load updates in place (no duplicates).
/// </summary>
public class CkanapiRoundTripTests
{
    private const string Python = "/usr/bin/python3";

    [Theory, Databases]
    public async Task Ckanapi_dump_then_load_twice_keeps_ids_names_and_resources(Db db)
    {
        var ckanapi = RequireCkanapi();
        await using var source = await TestApp.StartAsync(db, kestrel: true);
        using var admin = Client(source, source.AdminToken);
        var org = await admin.OkAsync("organization_create", new { name = "city-a", title = "市A", description = "移行元" });
        var group = await admin.OkAsync("group_create", new { name = "environment", title = "環境" });
        var first = await admin.OkAsync("package_create", new JsonObject
        {
            ["name"] = "air-quality",
            ["title"] = "大気汚染の測定値",
            ["owner_org"] = "city-a",
            ["license_id"] = "cc-by",
            ["notes"] = "毎月の測定値",
            ["tags"] = new JsonArray(new JsonObject { ["name"] = "環境" }),
            ["groups"] = new JsonArray(new JsonObject { ["name"] = "environment" }),
            ["extras"] = new JsonArray(new JsonObject { ["key"] = "frequency", ["value"] = "monthly" }),
            ["resources"] = new JsonArray(
                new JsonObject { ["url"] = "https://example.jp/air-2024.csv", ["name"] = "2024年度", ["format"] = "CSV" },
                new JsonObject { ["url"] = "https://example.jp/air-2025.csv", ["name"] = "2025年度", ["format"] = "CSV" }),
        });
        var second = await admin.OkAsync("package_create", new JsonObject
        {
            ["name"] = "population",
            ["title"] = "人口",
            ["owner_org"] = "city-a",
            ["resources"] = new JsonArray(new JsonObject { ["url"] = "https://example.jp/population.xlsx", ["name"] = "人口", ["format"] = "XLSX" }),
        });

        var dir = Directory.CreateTempSubdirectory("ckanapi-");
        try
        {
            var from = source.BaseAddress.ToString().TrimEnd('/');
            foreach (var thing in new[] { "organizations", "groups", "datasets" })
            {
                await RunAsync(ckanapi, dir.FullName, "dump", thing, "--all", "-O", Path.Combine(dir.FullName, thing + ".jsonl"), "-r", from);
            }

            Assert.Equal(2, File.ReadAllLines(Path.Combine(dir.FullName, "datasets.jsonl")).Length);

            await using var target = await TestApp.StartAsync(db, kestrel: true);
            var to = target.BaseAddress.ToString().TrimEnd('/');
            for (var run = 1; run <= 2; run++)
            {
                foreach (var thing in new[] { "organizations", "groups", "datasets" })
                {
                    await RunAsync(ckanapi, dir.FullName, "load", thing, "-I", Path.Combine(dir.FullName, thing + ".jsonl"), "-r", to, "-a", target.AdminToken);
                }

                using var anon = Client(target);
                var orgB = await anon.OkAsync("organization_show", new { id = "city-a" });
                Assert.Equal(org["id"]!.GetValue<string>(), orgB["id"]!.GetValue<string>());
                Assert.Equal("市A", orgB["title"]!.GetValue<string>());
                var groupB = await anon.OkAsync("group_show", new { id = "environment" });
                Assert.Equal(group["id"]!.GetValue<string>(), groupB["id"]!.GetValue<string>());

                var names = (await anon.OkAsync("package_list")).AsArray().Select(n => n!.GetValue<string>()).Order().ToList();
                Assert.Equal(["air-quality", "population"], names);
                foreach (var original in new[] { first, second })
                {
                    var copy = await anon.OkAsync("package_show", new { id = original["id"]!.GetValue<string>() });
                    Assert.Equal(original["name"]!.GetValue<string>(), copy["name"]!.GetValue<string>());
                    Assert.Equal(original["title"]!.GetValue<string>(), copy["title"]!.GetValue<string>());
                    Assert.Equal(org["id"]!.GetValue<string>(), copy["owner_org"]!.GetValue<string>());
                    Assert.Equal(
                        original["resources"]!.AsArray().Select(r => (r!["id"]!.GetValue<string>(), r["url"]!.GetValue<string>(), r["name"]!.GetValue<string>())),
                        copy["resources"]!.AsArray().Select(r => (r!["id"]!.GetValue<string>(), r["url"]!.GetValue<string>(), r["name"]!.GetValue<string>())));
                }

                var air = await anon.OkAsync("package_show", new { id = "air-quality" });
                Assert.Equal("environment", air["groups"]![0]!["name"]!.GetValue<string>());
                Assert.Equal("monthly", air["extras"]!.AsArray().Single(e => e!["key"]!.GetValue<string>() == "frequency")!["value"]!.GetValue<string>());
                Assert.Equal("環境", air["tags"]![0]!["name"]!.GetValue<string>());
                Assert.Equal("cc-by", air["license_id"]!.GetValue<string>());
            }

            using var reader = Client(target);
            var activity = await reader.OkAsync("package_activity_list", new { id = "air-quality" });
            Assert.Contains(activity.AsArray(), a => a!["activity_type"]!.GetValue<string>() == "changed package"); // the second load updated
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>A client of the instance's real address (the test server's clients do not reach Kestrel).</summary>
    internal static HttpClient Client(TestApp app, string? token = null)
    {
        var client = new HttpClient { BaseAddress = app.BaseAddress };
        if (token is not null)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", token);
        }

        return client;
    }

    /// <summary>The vendored ckanapi's bin directory; skips when /usr/bin/python3 lacks its modules (.ci/run installs them).</summary>
    internal static string RequireCkanapi()
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

        return Path.Combine(dir.FullName, "tests", "tools", "ckanapi", "bin");
    }

    /// <summary>Runs `ckanapi ARGS` (its workers are started as `ckanapi` from PATH) and fails with its output unless it exits 0.</summary>
    internal static async Task<string> RunAsync(string bin, string workDir, params string[] args)
    {
        var start = new ProcessStartInfo(Python, [Path.Combine(bin, "ckanapi"), .. args])
        {
            WorkingDirectory = workDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["PATH"] = bin + ":/usr/bin:/bin";
        start.Environment.Remove("PYTHONPATH");
        start.Environment.Remove("PYTHONHOME");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        var output = await stdout + await stderr;
        Assert.True(process.ExitCode == 0 && !output.Contains("Error", StringComparison.Ordinal),
            $"ckanapi {string.Join(' ', args.Select(a => a.StartsWith("admin-", StringComparison.Ordinal) ? "***" : a))} exited {process.ExitCode}:\n{output}");
        return await stdout;
    }
}
