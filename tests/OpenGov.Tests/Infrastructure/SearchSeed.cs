using Microsoft.Extensions.DependencyInjection;
using OpenGov.Accounts;
using OpenGov.Catalog;
using OpenGov.Catalog.Search;
using OpenGov.Storage;

namespace OpenGov.Tests.Infrastructure;

/// <summary>
/// Writes catalog rows straight through OpenGovDb (the write actions belong to another feature) and indexes them
/// with <see cref="ISearchIndexer"/>, as the write actions do.
/// </summary>
public static class SearchSeed
{
    public static async Task<Organization> OrganizationAsync(this TestApp app, string name, string title, string? localGovCode = null)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<OpenGovDb>();
        var org = new Organization { Name = name, Title = title, LocalGovCode = localGovCode };
        db.Organizations.Add(org);
        await db.SaveChangesAsync();
        return org;
    }

    public static async Task<Group> GroupAsync(this TestApp app, string name, string title)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<OpenGovDb>();
        var group = new Group { Name = name, Title = title };
        db.Groups.Add(group);
        await db.SaveChangesAsync();
        return group;
    }

    public sealed record Res(string Name, string Format, string Url = "https://example.jp/file", long? Size = null, string Description = "");

    public static async Task<Dataset> DatasetAsync(
        this TestApp app,
        Organization org,
        string name,
        string title,
        string notes = "",
        string[]? tags = null,
        Res[]? resources = null,
        string[]? groups = null,
        bool isPrivate = false,
        string state = "active",
        string license = "cc-by-4.0",
        DateTime? modified = null,
        string? creatorUserId = null,
        IReadOnlyDictionary<string, string>? extras = null)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<OpenGovDb>();
        var when = modified ?? DateTime.UtcNow;
        var d = new Dataset
        {
            Name = name,
            Title = title,
            Notes = notes,
            OwnerOrgId = org.Id,
            Private = isPrivate,
            State = state,
            LicenseId = license,
            MetadataCreated = when,
            MetadataModified = when,
            CreatorUserId = creatorUserId,
        };
        var position = 0;
        foreach (var r in resources ?? [])
        {
            d.Resources.Add(new Resource { DatasetId = d.Id, Name = r.Name, Format = r.Format, Url = r.Url, Size = r.Size, Description = r.Description, Position = position++ });
        }

        foreach (var tagName in tags ?? [])
        {
            var tag = db.Tags.Local.FirstOrDefault(t => t.Name == tagName) ?? db.Tags.FirstOrDefault(t => t.Name == tagName) ?? db.Tags.Add(new Tag { Name = tagName }).Entity;
            d.Tags.Add(new DatasetTag { DatasetId = d.Id, TagId = tag.Id });
        }

        foreach (var groupName in groups ?? [])
        {
            var group = db.Groups.First(g => g.Name == groupName);
            d.Groups.Add(new DatasetGroup { DatasetId = d.Id, GroupId = group.Id });
        }

        foreach (var (key, value) in extras ?? new Dictionary<string, string>())
        {
            d.Extras.Add(new DatasetExtra { DatasetId = d.Id, Key = key, Value = value });
        }

        db.Datasets.Add(d);
        await db.SaveChangesAsync();
        await scope.ServiceProvider.GetRequiredService<ISearchIndexer>().IndexAsync(d.Id, CancellationToken.None);
        return d;
    }

    /// <summary>Changes a dataset through the database and reindexes it.</summary>
    public static async Task UpdateDatasetAsync(this TestApp app, string id, Action<Dataset> change)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<OpenGovDb>();
        var d = db.Datasets.First(x => x.Id == id);
        change(d);
        await db.SaveChangesAsync();
        await scope.ServiceProvider.GetRequiredService<ISearchIndexer>().IndexAsync(id, CancellationToken.None);
    }

    /// <summary>A user (member of the organization with the capacity, if given) and an API token for them.</summary>
    public static async Task<(string UserId, string Token)> UserAsync(this TestApp app, string name, Organization? org = null, string capacity = Roles.Member)
    {
        using var scope = app.Services.CreateScope();
        var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
        var db = scope.ServiceProvider.GetRequiredService<OpenGovDb>();
        var user = await accounts.CreateUserAsync(name, null, false);
        if (org is not null)
        {
            db.OrganizationRoles.Add(new OrganizationRole { UserId = user.Id, OrganizationId = org.Id, Role = capacity });
            await db.SaveChangesAsync();
        }

        return (user.Id, await accounts.CreateTokenAsync(user.Id, "test"));
    }

    /// <summary>Runs package_search with GET parameters and returns the result object.</summary>
    public static async Task<System.Text.Json.Nodes.JsonNode> SearchAsync(this HttpClient client, params (string Key, string Value)[] parameters)
    {
        var qs = string.Join('&', parameters.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
        return await client.GetOkAsync("package_search?" + qs);
    }

    public static List<string> Names(this System.Text.Json.Nodes.JsonNode result) =>
        [.. result["results"]!.AsArray().Select(r => r!["name"]!.GetValue<string>())];
}
