using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using OpenGov.Catalog.Search;
using OpenGov.Hosting;
using OpenGov.Storage;

namespace OpenGov.Catalog.Demo;

/// <summary>
/// Publishes a demo dataset whose one resource is a file shipped in DemoData, as an upload would: the file copied
/// into the uploads directory, hashed and sized, the dataset saved with its "new package" activity, indexed, and the
/// resource hooks run (the DataStore queues its load).
/// </summary>
public static class DemoUploads
{
    public static async Task PublishAsync(IServiceProvider services, Dataset dataset, Resource resource, string sourceFile, CancellationToken ct)
    {
        var db = services.GetRequiredService<OpenGovDb>();
        var options = services.GetRequiredService<IOptions<OpenGovOptions>>().Value;
        var fileName = Path.GetFileName(sourceFile);
        var target = Path.Combine(options.UploadsDirectory, resource.Id);
        Directory.CreateDirectory(target);
        var path = Path.Combine(target, fileName);
        File.Copy(sourceFile, path, overwrite: true);
        await using (var stream = File.OpenRead(path))
        {
            resource.Hash = "sha256:" + Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));
            resource.Size = stream.Length;
        }

        resource.StoragePath = Path.Combine(resource.Id, fileName);
        resource.LastModified = DateTime.UtcNow;
        dataset.Resources.Add(resource);
        db.Datasets.Add(dataset);
        db.Activities.Add(new Activity { ObjectId = dataset.Id, ActivityType = "new package" });
        await db.SaveChangesAsync(ct);
        await services.GetRequiredService<ISearchIndexer>().IndexAsync(dataset.Id, ct);
        await services.GetRequiredService<IResourceDataHooks>().ResourcesChangedAsync(dataset, ct);
    }
}
