using System.Diagnostics;
using System.Text.Json;

namespace OpenGov.Tests.Infrastructure;

/// <summary>One SHACL validation result as tests/tools/shacl/validate.mjs reports it.</summary>
public sealed record ShaclResult(string File, string Severity, string Focus, string Path, string Value, string Component, string Message)
{
    public override string ToString() => $"{System.IO.Path.GetFileName(File)}: {Severity} {Component} on <{Focus}> {Path} = {Value} {Message}";
}

/// <summary>
/// The real SHACL validator of tests/tools/shacl (rdf-validate-shacl on Node.js, with the DCAT-AP shapes kept in the
/// repository). Installs its npm packages once per test run (<c>npm ci</c>) when node_modules is missing. Skips the
/// test when Node.js or npm is missing (CI fails on any skipped test; .ci/run installs Debian's nodejs and npm).
/// </summary>
public static class ShaclValidator
{
    private static readonly SemaphoreSlim InstallGate = new(1, 1);

    public static string ToolDirectory
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "tests", "tools", "shacl", "validate.mjs")))
            {
                dir = dir.Parent;
            }

            Assert.True(dir is not null, "tests/tools/shacl/validate.mjs not found above " + AppContext.BaseDirectory);
            return Path.Combine(dir.FullName, "tests", "tools", "shacl");
        }
    }

    private static string? Find(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, program)).FirstOrDefault(File.Exists);

    /// <summary>Validates the files (by extension: .ttl, .rdf, .jsonld) against shapes/{profile}; returns every result.</summary>
    public static async Task<IReadOnlyList<ShaclResult>> ValidateAsync(string profile, string baseIri, IEnumerable<string> files)
    {
        var node = Find("node");
        var npm = Find("npm");
        if (node is null || npm is null)
        {
            Assert.Skip("Node.js is missing (the SHACL validator of tests/tools/shacl runs on it): apt-get install nodejs npm");
        }

        var tool = ToolDirectory;
        await InstallGate.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            if (!Directory.Exists(Path.Combine(tool, "node_modules", "rdf-validate-shacl")))
            {
                await RunAsync(npm, tool, ["ci", "--no-audit", "--no-fund"]);
            }
        }
        finally
        {
            InstallGate.Release();
        }

        var output = await RunAsync(node, tool, ["validate.mjs", "--shapes", Path.Combine("shapes", profile), "--vocabularies", "vocabularies", "--base", baseIri, .. files]);
        using var report = JsonDocument.Parse(output);
        var results = new List<ShaclResult>();
        foreach (var file in report.RootElement.GetProperty("files").EnumerateArray())
        {
            var name = file.GetProperty("file").GetString()!;
            Assert.True(file.GetProperty("triples").GetInt32() > 0, name + " holds no triples");
            foreach (var r in file.GetProperty("results").EnumerateArray())
            {
                results.Add(new ShaclResult(
                    name,
                    r.GetProperty("severity").GetString() ?? "",
                    Text(r.GetProperty("focusNode")),
                    Text(r.GetProperty("path")),
                    Text(r.GetProperty("value")),
                    r.GetProperty("sourceConstraintComponent").GetString() ?? "",
                    string.Join(" / ", r.GetProperty("message").EnumerateArray().Select(m => m.GetString()))));
            }
        }

        return results;
    }

    private static string Text(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString()!,
        JsonValueKind.Null => "",
        _ => e.GetRawText(),
    };

    private static async Task<string> RunAsync(string program, string workDir, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(program, args)
        {
            WorkingDirectory = workDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(process.ExitCode == 0, $"{Path.GetFileName(program)} {string.Join(' ', args)} exited {process.ExitCode}:\n{await stderr}");
        return await stdout;
    }
}
