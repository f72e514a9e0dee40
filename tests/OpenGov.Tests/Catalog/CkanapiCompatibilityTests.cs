using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.Catalog;

/// <summary>
/// The requests ckanapi's RemoteCKAN (the Python client most CKAN scripts and the `ckanapi` command line use) puts on
/// the wire, built here byte for byte as its <c>prepare_action</c> and <c>requests</c> build them, and its
/// <c>reverse_apicontroller_action</c> reading the answers: POST to <c>/api/action/{name}</c> without following
/// redirects; a JSON body that <c>json.dumps</c> wrote in ASCII (Japanese as \u escapes); the token in both
/// <c>X-CKAN-API-Key</c> and <c>Authorization</c>; file uploads as multipart/form-data whose parts carry no
/// Content-Type and whose file name is raw UTF-8; with <c>get_only=True</c>, GET with the parameters in the query
/// string (lists as repeated keys); errors told apart only by <c>error.__type</c>.
/// </summary>
public class CkanapiCompatibilityTests
{
    private const string UserAgent = "ckanapi/4.11 (+https://github.com/ckan/ckanapi)";

    /// <summary>What RemoteCKAN.call_action raises or returns for one answer.</summary>
    private sealed record Outcome(int Status, JsonNode? Result, string? ErrorType, JsonObject? Error)
    {
        /// <summary>The part of error.message ckanapi keeps for NotFound and search errors (after the first ": ").</summary>
        public string Message => Error?["message"]?.GetValue<string>() is { } m && m.IndexOf(": ", StringComparison.Ordinal) is var i and >= 0 ? m[(i + 2)..] : Error?["message"]?.GetValue<string>() ?? "";
    }

    /// <summary>RemoteCKAN(address, apikey, get_only) over a test client.</summary>
    private sealed class RemoteCkan(HttpClient http, string? apikey, bool getOnly = false)
    {
        private static readonly JsonSerializerOptions PythonJson = new() { Encoder = JavaScriptEncoder.Create(UnicodeRanges.BasicLatin) };

        public async Task<Outcome> CallAsync(string action, JsonObject? data = null, (string Field, string FileName, byte[] Content)? file = null)
        {
            data ??= [];
            using var request = new HttpRequestMessage(getOnly ? HttpMethod.Get : HttpMethod.Post, "/api/action/" + action);
            if (getOnly)
            {
                request.RequestUri = new Uri("/api/action/" + action + QueryString(data), UriKind.Relative);
            }
            else if (file is { } f)
            {
                request.Content = Multipart(data, f);
            }
            else
            {
                // json.dumps(data_dict).encode('ascii') with Content-Type: application/json
                var body = JsonSerializer.Serialize(data, PythonJson);
                Assert.True(body.All(char.IsAscii), body);
                request.Content = new ByteArrayContent(Encoding.ASCII.GetBytes(body));
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            }

            if (apikey is not null)
            {
                request.Headers.TryAddWithoutValidation("X-CKAN-API-Key", apikey);
                request.Headers.TryAddWithoutValidation("Authorization", apikey);
            }

            request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
            using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
            var status = (int)response.StatusCode;
            Assert.False(status is >= 300 and < 400, $"{action} redirected ({status}); ckanapi posts with allow_redirects=False");
            var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

            // reverse_apicontroller_action: success → result; otherwise the error dict's __type picks the exception
            var parsed = JsonNode.Parse(text)!.AsObject();
            if (parsed["success"]?.GetValue<bool>() == true)
            {
                Assert.Equal(200, status);
                return new Outcome(status, parsed["result"], null, null);
            }

            var error = Assert.IsType<JsonObject>(parsed["error"]);
            return new Outcome(status, null, error["__type"]?.GetValue<string>(), error);
        }

        /// <summary>requests' params=: key=value pairs percent-encoded as UTF-8, a list as the key repeated.</summary>
        private static string QueryString(JsonObject data)
        {
            var pairs = new List<string>();
            foreach (var (key, value) in data)
            {
                var values = value is JsonArray a ? a.Select(v => v!.ToString()) : [value is JsonValue v && v.TryGetValue<bool>(out var b) ? (b ? "True" : "False") : value!.ToString()];
                pairs.AddRange(values.Select(v => Uri.EscapeDataString(key) + "=" + Uri.EscapeDataString(v)));
            }

            return pairs.Count == 0 ? "" : "?" + string.Join("&", pairs);
        }

        /// <summary>requests' files= with data=: the fields first, then the file; no Content-Type on any part.</summary>
        private static ByteArrayContent Multipart(JsonObject data, (string Field, string FileName, byte[] Content) file)
        {
            var boundary = Guid.NewGuid().ToString("N");
            using var body = new MemoryStream();
            void Write(string s) => body.Write(Encoding.UTF8.GetBytes(s));
            foreach (var (key, value) in data)
            {
                // prepare_action: None skipped, numbers str()-ed, everything else must already be a string
                if (value is null)
                {
                    continue;
                }

                Write($"--{boundary}\r\nContent-Disposition: form-data; name=\"{key}\"\r\n\r\n{value}\r\n");
            }

            Write($"--{boundary}\r\nContent-Disposition: form-data; name=\"{file.Field}\"; filename=\"{file.FileName}\"\r\n\r\n");
            body.Write(file.Content);
            Write($"\r\n--{boundary}--\r\n");
            var content = new ByteArrayContent(body.ToArray());
            content.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data; boundary=" + boundary);
            return content;
        }
    }

    [Theory, Databases]
    public async Task A_ckanapi_script_publishes_a_japanese_dataset_uploads_its_csv_and_finds_it(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateOrganizationAsync("chiba", "千葉市", "121002");
        var ckan = new RemoteCkan(app.Anonymous(), app.AdminToken);

        var created = await ckan.CallAsync("package_create", new JsonObject
        {
            ["name"] = "chiba-population",
            ["title"] = "千葉市 年齢別人口統計",
            ["notes"] = "町丁別・年齢別の人口（住民基本台帳）",
            ["owner_org"] = "chiba",
            ["license_id"] = "cc-by-4.0",
            ["tags"] = new JsonArray(new JsonObject { ["name"] = "人口" }, new JsonObject { ["name"] = "統計" }),
            ["extras"] = new JsonArray(new JsonObject { ["key"] = "更新頻度", ["value"] = "毎月" }),
        });
        Assert.Null(created.ErrorType);
        var packageId = created.Result!["id"]!.GetValue<string>();

        // ckan.action.resource_create(package_id=..., name=..., format=..., upload=open('人口.csv', 'rb'))
        var csv = Encoding.UTF8.GetBytes("町丁,人口\n中央,1200\n");
        var resource = await ckan.CallAsync(
            "resource_create",
            new JsonObject { ["package_id"] = packageId, ["name"] = "年齢別人口", ["format"] = "CSV" },
            ("upload", "人口.csv", csv));
        Assert.Null(resource.ErrorType);
        Assert.Equal(csv.Length, resource.Result!["size"]!.GetValue<long>());
        Assert.Equal("upload", resource.Result!["url_type"]!.GetValue<string>());

        var shown = await ckan.CallAsync("package_show", new JsonObject { ["id"] = "chiba-population" });
        Assert.Equal("千葉市 年齢別人口統計", shown.Result!["title"]!.GetValue<string>());
        Assert.Equal("毎月", shown.Result!["extras"]![0]!["value"]!.GetValue<string>());
        var url = shown.Result!["resources"]![0]!["url"]!.GetValue<string>();
        Assert.EndsWith(".csv", url, StringComparison.Ordinal);

        // the download link the client got serves the uploaded bytes
        var download = await app.Anonymous().GetByteArrayAsync(new Uri(url).PathAndQuery, TestContext.Current.CancellationToken);
        Assert.Equal(csv, download);

        var patched = await ckan.CallAsync("package_patch", new JsonObject { ["id"] = packageId, ["notes"] = "更新しました" });
        Assert.Equal("更新しました", patched.Result!["notes"]!.GetValue<string>());
        Assert.Equal("年齢別人口", patched.Result!["resources"]![0]!["name"]!.GetValue<string>());

        var found = await ckan.CallAsync("package_search", new JsonObject { ["q"] = "人口", ["fq"] = "organization:chiba", ["rows"] = 10 });
        Assert.Equal(1, found.Result!["count"]!.GetValue<int>());
        Assert.Equal("chiba-population", found.Result!["results"]![0]!["name"]!.GetValue<string>());
    }

    [Theory, Databases]
    public async Task A_get_only_ckanapi_client_reads_with_query_parameters_and_repeated_keys(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateOrganizationAsync("chiba", "千葉市", "121002");
        await app.CreateOrganizationAsync("nara", "奈良市", "292010");
        for (var i = 0; i < 3; i++)
        {
            var data = CatalogFixtures.Dataset("jinko-" + i.ToString(CultureInfo.InvariantCulture), i == 0 ? "nara" : "chiba");
            data["title"] = "人口統計 " + i.ToString(CultureInfo.InvariantCulture);
            data["tags"] = new JsonArray(new JsonObject { ["name"] = "人口" });
            await app.Admin().OkAsync("package_create", data);
        }

        var ckan = new RemoteCkan(app.Anonymous(), apikey: null, getOnly: true);
        var search = await ckan.CallAsync("package_search", new JsonObject
        {
            ["q"] = "人口",
            ["rows"] = 2,
            ["sort"] = "name asc",
            ["facet.field"] = new JsonArray("organization", "tags"),
        });
        Assert.Null(search.ErrorType);
        Assert.Equal(3, search.Result!["count"]!.GetValue<int>());
        Assert.Equal(["jinko-0", "jinko-1"], search.Result!["results"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()));
        Assert.Equal(2, search.Result!["search_facets"]!["organization"]!["items"]!.AsArray().Count);
        Assert.Equal(3, search.Result!["facets"]!["tags"]!["人口"]!.GetValue<int>());

        var list = await ckan.CallAsync("package_list", new JsonObject { ["limit"] = 10, ["offset"] = 1 });
        Assert.Equal(["jinko-1", "jinko-2"], list.Result!.AsArray().Select(n => n!.GetValue<string>()));

        var org = await ckan.CallAsync("organization_show", new JsonObject { ["id"] = "nara", ["include_datasets"] = true });
        Assert.Equal("奈良市", org.Result!["title"]!.GetValue<string>());
        Assert.Equal(1, org.Result!["package_count"]!.GetValue<int>());
    }

    [Theory, Databases]
    public async Task Errors_reach_a_ckanapi_client_as_the_exceptions_ckan_itself_raises(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.CreateOrganizationAsync("chiba", "千葉市", "121002");
        await app.Admin().OkAsync("package_create", CatalogFixtures.Dataset("taken", "chiba"));
        var admin = new RemoteCkan(app.Anonymous(), app.AdminToken);
        var anonymous = new RemoteCkan(app.Anonymous(), apikey: null);

        // NotFound
        var missing = await anonymous.CallAsync("package_show", new JsonObject { ["id"] = "no-such-dataset" });
        Assert.Equal((404, "Not Found Error"), (missing.Status, missing.ErrorType));

        // ValidationError(err): the error dict names the field
        var clash = await admin.CallAsync("package_create", CatalogFixtures.Dataset("taken", "chiba"));
        Assert.Equal((409, "Validation Error"), (clash.Status, clash.ErrorType));
        Assert.NotEmpty(clash.Error!["name"]!.AsArray());

        // NotAuthorized(err)
        var denied = await anonymous.CallAsync("package_create", CatalogFixtures.Dataset("sneaky", "chiba"));
        Assert.Equal((403, "Authorization Error"), (denied.Status, denied.ErrorType));

        // a wrong API key is refused as CKAN refuses it, not treated as anonymous success
        var wrongKey = await new RemoteCkan(app.Anonymous(), "not-a-token").CallAsync("package_create", CatalogFixtures.Dataset("sneaky", "chiba"));
        Assert.Equal("Authorization Error", wrongKey.ErrorType);

        // SearchQueryError(message after ": ")
        var badSort = await anonymous.CallAsync("package_search", new JsonObject { ["q"] = "人口", ["sort"] = "nonsense" });
        Assert.Equal((400, "Search Query Error"), (badSort.Status, badSort.ErrorType));
        Assert.Contains("sort", badSort.Message, StringComparison.Ordinal);

        // an unknown action: 400 with CKAN's envelope (ckanapi reports it as CKANAPIError)
        var unknown = await anonymous.CallAsync("package_frobnicate");
        Assert.Equal(400, unknown.Status);

        Assert.Equal("taken", (await admin.CallAsync("package_show", new JsonObject { ["id"] = "taken" })).Result!["name"]!.GetValue<string>());
    }
}
