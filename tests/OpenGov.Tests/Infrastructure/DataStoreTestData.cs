using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OpenGov.Accounts;
using OpenGov.Catalog;
using OpenGov.DataStore;
using OpenGov.Storage;

namespace OpenGov.Tests.Infrastructure;

/// <summary>Catalog content for DataStore tests, written straight to the database (the catalog editing API is another feature).</summary>
public static class DataStoreTestData
{
    public static string FixturePath(string name) => Path.Combine(AppContext.BaseDirectory, "DataStore", "Fixtures", name);

    public static async Task<(string OrgId, string DatasetId)> DatasetAsync(this TestApp app, bool isPrivate = false, string? standard = null, string? name = null)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<OpenGovDb>();
        var org = new Organization { Name = "org-" + Guid.NewGuid().ToString("N")[..8], Title = "テスト市", LocalGovCode = "130001" };
        db.Organizations.Add(org);
        var ds = new Dataset { Name = name ?? "ds-" + Guid.NewGuid().ToString("N")[..8], Title = "テスト", OwnerOrgId = org.Id, Private = isPrivate };
        if (standard is not null)
        {
            ds.Extras.Add(new DatasetExtra { DatasetId = ds.Id, Key = "standard", Value = standard });
        }

        db.Datasets.Add(ds);
        await db.SaveChangesAsync();
        return (org.Id, ds.Id);
    }

    /// <summary>A resource with an uploaded file (as the catalog's resource_create stores it).</summary>
    public static async Task<string> UploadAsync(this TestApp app, string datasetId, string fileName, byte[] content, string format = "CSV")
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<OpenGovDb>();
        var r = new Resource { DatasetId = datasetId, Name = fileName, Format = format, UrlType = "upload", Url = "http://localhost/dataset/x/resource/y/download/" + fileName };
        await WriteFileAsync(app, r, fileName, content);
        db.Resources.Add(r);
        await db.SaveChangesAsync();
        return r.Id;
    }

    /// <summary>Replaces the uploaded file of a resource (as resource_update with a new upload does).</summary>
    public static async Task ReplaceUploadAsync(this TestApp app, string resourceId, byte[] content)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<OpenGovDb>();
        var r = await db.Resources.FindAsync(resourceId) ?? throw new InvalidOperationException("no resource");
        await WriteFileAsync(app, r, Path.GetFileName(r.StoragePath!), content);
        r.MetadataModified = DateTime.UtcNow;
        await db.SaveChangesAsync();
    }

    private static async Task WriteFileAsync(TestApp app, Resource r, string fileName, byte[] content)
    {
        var rel = Path.Combine(r.Id[..2], r.Id, Guid.NewGuid().ToString("N")[..6] + "-" + fileName);
        var full = Path.Combine(app.DataDirectory, "uploads", rel);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        await File.WriteAllBytesAsync(full, content);
        r.StoragePath = rel;
        r.Size = content.Length;
        r.Hash = "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content));
    }

    /// <summary>A user with the given capacity in the organization; returns an API token.</summary>
    public static async Task<string> MemberTokenAsync(this TestApp app, string orgId, string capacity)
    {
        using var scope = app.Services.CreateScope();
        var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
        var db = scope.ServiceProvider.GetRequiredService<OpenGovDb>();
        var user = await accounts.CreateUserAsync("u" + Guid.NewGuid().ToString("N")[..10], null, false);
        db.OrganizationRoles.Add(new OrganizationRole { UserId = user.Id, OrganizationId = orgId, Role = capacity });
        await db.SaveChangesAsync();
        return await accounts.CreateTokenAsync(user.Id, "test");
    }

    public static async Task<string> OutsiderTokenAsync(this TestApp app)
    {
        using var scope = app.Services.CreateScope();
        var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
        var user = await accounts.CreateUserAsync("o" + Guid.NewGuid().ToString("N")[..10], null, false);
        return await accounts.CreateTokenAsync(user.Id, "test");
    }

    /// <summary>Queues a load and waits until the resource's latest job is complete or error.</summary>
    public static async Task<JsonNode> LoadAndWaitAsync(this TestApp app, string resourceId, object? overrides = null, TimeSpan? timeout = null)
    {
        var client = app.Admin();
        if (overrides is not null)
        {
            var data = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(overrides))!.AsObject();
            data["resource_id"] = resourceId;
            await client.OkAsync("datastore_load", data);
        }
        else
        {
            await client.OkAsync("datastore_load", new { resource_id = resourceId });
        }

        return await app.WaitForJobAsync(resourceId, timeout);
    }

    public static async Task<JsonNode> WaitForJobAsync(this TestApp app, string resourceId, TimeSpan? timeout = null)
    {
        var client = app.Admin();
        var sw = Stopwatch.StartNew();
        while (true)
        {
            var (status, body) = await client.ActionAsync("datastore_job_show", new { resource_id = resourceId });
            if (status == 200)
            {
                var s = body["result"]!["status"]!.GetValue<string>();
                if (s is JobState.Complete or JobState.Error)
                {
                    return body["result"]!;
                }
            }

            if (sw.Elapsed > (timeout ?? TimeSpan.FromSeconds(60)))
            {
                throw new TimeoutException("load did not finish: " + body.ToJsonString());
            }

            await Task.Delay(100);
        }
    }
}
