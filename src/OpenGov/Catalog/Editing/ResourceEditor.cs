using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using OpenGov.Ckan;
using OpenGov.Hosting;

namespace OpenGov.Catalog.Editing;

/// <summary>
/// resource_create, resource_update, resource_patch and resource_delete, for the Action API and the publisher
/// screens alike. Each action checks <see cref="PackageAuth"/> first, reads the dict by <see cref="ResourceSchema"/>,
/// and writes through <see cref="PackageWriter"/> (a resource change is a change of its dataset).
/// </summary>
public sealed class ResourceEditor(PackageWriter writer, PackageAuth auth, UploadStore uploads, IOptions<OpenGovOptions> options)
{
    /// <summary>resource_create: a link (url) or an uploaded file.</summary>
    public async Task<ResourceDict> CreateAsync(JsonObject data, IFormFile? upload, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var packageId = DictReader.Str(data, "package_id", errors);
        if (string.IsNullOrWhiteSpace(packageId))
        {
            throw CkanException.Missing("package_id");
        }

        var dataset = await writer.LoadTrackedAsync(packageId, ct) ?? throw CkanException.NotFound("No package found for this resource, cannot check auth.");
        await auth.CreateResourceAsync(dataset, ct);

        var resource = new Resource { DatasetId = dataset.Id };
        if (await SuppliedIds.ReadAsync(data, allowed: true, id => writer.ResourceIdTakenAsync(id, ct), "Resource id already exists.", errors) is { } suppliedId)
        {
            resource.Id = suppliedId;
        }

        ResourceSchema.Apply(resource, data, errors, isNew: true, hasUpload: upload is not null, writer);
        if (upload is not null && upload.Length > uploads.MaxBytes)
        {
            throw UploadStore.TooLarge();
        }

        options.Value.PackageLimits.CheckOneMore(dataset, resource, errors);
        errors.ThrowIfAny();
        resource.Position = ResourceSchema.NextPosition(dataset);

        try
        {
            if (upload is not null)
            {
                ResourceSchema.ApplyUpload(resource, await uploads.SaveAsync(resource.Id, upload, ct), data);
            }

            await writer.WriteAsync(dataset, "changed package", () =>
            {
                dataset.Resources.Add(resource);
                return Task.CompletedTask;
            }, ct);
        }
        catch
        {
            uploads.Delete(resource.Id);
            throw;
        }

        return ResourceDict.From(resource, writer.SiteUrl);
    }

    /// <summary>resource_update (replaces) or resource_patch (merges); a new file may replace the old one.</summary>
    public async Task<ResourceDict> UpdateAsync(JsonObject data, IFormFile? upload, bool patch, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var id = DictReader.Str(data, "id", errors);
        if (string.IsNullOrWhiteSpace(id))
        {
            throw CkanException.Missing("id");
        }

        var (dataset, resource) = await writer.LoadResourceAsync(id, ct);
        await auth.UpdateResourceAsync(dataset, resource.Id, ct);

        if (patch)
        {
            var current = JsonSerializer.SerializeToNode(ResourceDict.From(resource, writer.SiteUrl), CkanApi.Json)!.AsObject();
            foreach (var (key, value) in data)
            {
                current[key] = value?.DeepClone();
            }

            data = current;
        }

        ResourceSchema.Apply(resource, data, errors, isNew: false, hasUpload: upload is not null, writer);
        if (upload is not null && upload.Length > uploads.MaxBytes)
        {
            throw UploadStore.TooLarge();
        }

        options.Value.PackageLimits.CheckResource(resource, errors);
        errors.ThrowIfAny();
        if (upload is not null)
        {
            var stored = await uploads.SaveAsync(resource.Id, upload, ct, staged: true);
            ResourceSchema.ApplyUpload(resource, stored, data);
            writer.PromoteOnCommit(stored);
        }

        var written = await writer.WriteAsync(dataset, "changed package", () => Task.CompletedTask, ct);

        // as in the package dict just written (datastore_active included: a replaced file reloads in the background,
        // and until then the previous table is served)
        return written.Resources.First(r => r.Id == resource.Id);
    }

    /// <summary>resource_delete: the resource is marked deleted and its file removed.</summary>
    public async Task DeleteAsync(string id, CancellationToken ct)
    {
        var (dataset, resource) = await writer.LoadResourceAsync(id, ct);
        await auth.DeleteResourceAsync(dataset, id, ct);
        await writer.WriteAsync(dataset, "changed package", () =>
        {
            writer.MarkResourceDeleted(resource);
            ResourceSchema.Renumber(dataset);
            return Task.CompletedTask;
        }, ct);
    }
}
