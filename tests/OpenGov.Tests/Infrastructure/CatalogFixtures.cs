using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using OpenGov.Accounts;
using OpenGov.Storage;

namespace OpenGov.Tests.Infrastructure;

/// <summary>Builds catalog content for tests: organizations, users with tokens and memberships, datasets.</summary>
public static partial class CatalogFixtures
{
    /// <summary>Creates an organization through the API as the sysadmin.</summary>
    public static async Task<JsonNode> CreateOrganizationAsync(this TestApp app, string name, string? title = null, string? localGovCode = null)
    {
        var data = new JsonObject { ["name"] = name, ["title"] = title ?? name };
        if (localGovCode is not null)
        {
            data["local_gov_code"] = localGovCode;
        }

        return await app.Admin().OkAsync("organization_create", data);
    }

    /// <summary>Creates a user (optionally with a password and a membership) and returns an API token for it.</summary>
    public static async Task<string> CreateUserAsync(this TestApp app, string name, string? organization = null, string? capacity = null, string? password = null, string email = "")
    {
        using var scope = app.Services.CreateScope();
        var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
        var db = scope.ServiceProvider.GetRequiredService<OpenGovDb>();
        var user = await accounts.CreateUserAsync(name, password, sysadmin: false, email: email);
        if (organization is not null)
        {
            var org = db.Organizations.Single(o => o.Name == organization);
            db.OrganizationRoles.Add(new OrganizationRole { UserId = user.Id, OrganizationId = org.Id, Role = capacity ?? Roles.Editor });
            await db.SaveChangesAsync();
        }

        return await accounts.CreateTokenAsync(user.Id, "test");
    }

    /// <summary>A minimal valid dataset dict.</summary>
    public static JsonObject Dataset(string name, string org, bool isPrivate = false) => new()
    {
        ["name"] = name,
        ["title"] = "テスト " + name,
        ["owner_org"] = org,
        ["private"] = isPrivate,
    };

    /// <summary>A multipart resource_create call with a file in "upload".</summary>
    public static async Task<(int Status, JsonObject Body)> UploadAsync(this HttpClient client, string packageId, string fileName, byte[] content, string action = "resource_create", IDictionary<string, string>? fields = null)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(packageId), action == "resource_create" ? "package_id" : "id");
        foreach (var (k, v) in fields ?? new Dictionary<string, string>())
        {
            form.Add(new StringContent(v), k);
        }

        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "upload", fileName);
        using var response = await client.PostAsync("/api/3/action/" + action, form);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, JsonNode.Parse(text)!.AsObject());
    }

    /// <summary>The antiforgery token of the first form on an HTML page.</summary>
    public static string AntiforgeryToken(string html)
    {
        var m = TokenPattern().Match(html);
        Assert.True(m.Success, "no antiforgery token in the page");
        return System.Net.WebUtility.HtmlDecode(m.Groups[1].Value);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    /// <summary>Logs a client in through the login page (cookie sign-in).</summary>
    public static async Task LoginAsync(this HttpClient client, string name, string password)
    {
        var page = await client.GetStringAsync("/user/login");
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Login"] = name,
            ["Password"] = password,
            ["__RequestVerificationToken"] = AntiforgeryToken(page),
        });
        using var response = await client.PostAsync("/user/login", form);
        // a client on the real port (kestrel: true) follows the redirect
        Assert.True((int)response.StatusCode == 302 || response.RequestMessage?.RequestUri?.AbsolutePath != "/user/login", "login failed: " + (int)response.StatusCode);
    }
}
