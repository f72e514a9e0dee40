using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.Catalog;

/// <summary>
/// Every action the API serves (found from the app's own endpoints, so a new action is covered without editing this
/// test) is sent wrong-typed, oversized and malformed parameters by a sysadmin, next to ids that exist: each answer is
/// CKAN's JSON envelope with a 2xx, 4xx status, never a server error.
/// </summary>
public class ApiRobustnessTests
{
    private static readonly string[] Keys =
        ["id", "resource_id", "package_id", "q", "fq", "rows", "sort", "filters", "records", "tags"];

    private static JsonNode?[] WeirdValues() =>
    [
        null, true, -1, JsonValue.Create(decimal.MaxValue), "", new string('長', 3000), "' \" \\ % *", "\u0000",
        new JsonArray(), new JsonObject(), new JsonObject { ["a"] = new JsonArray(new JsonObject()) },
    ];

    private static readonly string[] RawBodies = ["{", "[]", "null", "123", "\"x\"", "{\"id\":{\"id\":{}}}", new string('[', 100) + new string(']', 100)];

    [Theory, Databases]
    public async Task No_action_answers_a_server_error_to_wrong_types_or_malformed_bodies(Db db)
    {
        await using var app = await TestApp.StartAsync(db, new Dictionary<string, string?> { ["OpenGov:WritesPerSecond"] = "100000" });
        await app.CreateOrganizationAsync("chiba", "千葉市", "121002");
        var admin = app.Admin();
        await admin.OkAsync("group_create", new { name = "bousai", title = "防災" });
        var data = CatalogFixtures.Dataset("target", "chiba");
        data["resources"] = new JsonArray(new JsonObject { ["url"] = "https://example.jp/a.csv", ["name"] = "A" });
        var package = await admin.OkAsync("package_create", data);
        var packageId = package["id"]!.GetValue<string>();
        var resourceId = package["resources"]![0]!["id"]!.GetValue<string>();
        await admin.OkAsync("datastore_create", new
        {
            resource_id = resourceId,
            force = true,
            fields = new[] { new { id = "市区町村", type = "text" }, new { id = "人口", type = "int" } },
            records = new[] { new Dictionary<string, object> { ["市区町村"] = "千葉市", ["人口"] = 980000 } },
        });

        var actions = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => e.RoutePattern.RawText ?? "")
            .Where(p => p.StartsWith("/api/3/action/", StringComparison.Ordinal))
            .Select(p => p["/api/3/action/".Length..])
            .Distinct()
            .OrderBy(a => a.Contains("delete", StringComparison.Ordinal)) // deletes last, so the others meet the fixtures
            .ThenBy(a => a, StringComparer.Ordinal)
            .ToList();
        Assert.Contains("package_create", actions);
        Assert.Contains("datastore_search", actions);

        var failures = new List<string>();
        var requests = 0;
        foreach (var action in actions)
        {
            var bodies = new List<string>(RawBodies);
            foreach (var key in Keys)
            {
                foreach (var value in WeirdValues())
                {
                    var body = new JsonObject { ["id"] = packageId, ["resource_id"] = resourceId, ["package_id"] = packageId };
                    body[key] = value;
                    bodies.Add(body.ToJsonString());
                }
            }

            // a few at a time: the same requests, in less time
            foreach (var chunk in bodies.Chunk(8))
            {
                var answers = await Task.WhenAll(chunk.Select(async body =>
                {
                    using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
                    content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                    using var response = await admin.PostAsync("/api/3/action/" + action, content, TestContext.Current.CancellationToken);
                    var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
                    var status = (int)response.StatusCode;
                    var envelope = status != 429 && (status >= 500 || !IsEnvelope(text)) ? $"{action} {Shorten(body)} → {status} {Shorten(text)}" : null;
                    return envelope;
                }));
                requests += chunk.Length;
                failures.AddRange(answers.OfType<string>());
            }
        }

        Assert.True(requests > 4000, $"only {requests} requests");
        Assert.True(failures.Count == 0, $"{failures.Count} of {requests} answers were not CKAN envelopes with a 2xx/4xx status:\n" + string.Join("\n", failures.Take(20)));
        Assert.True((await app.Anonymous().GetAsync("/healthz", TestContext.Current.CancellationToken)).IsSuccessStatusCode);
    }

    private static bool IsEnvelope(string text)
    {
        try
        {
            return JsonNode.Parse(text) is JsonObject o && o["success"] is JsonValue;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    private static string Shorten(string s) => s.Length > 200 ? s[..200] + "…" : s;
}
