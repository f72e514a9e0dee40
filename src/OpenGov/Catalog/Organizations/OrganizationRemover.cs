using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OpenGov.Accounts;
using OpenGov.Catalog.Editing;
using OpenGov.Catalog.Search;
using OpenGov.Ckan;
using OpenGov.Storage;

namespace OpenGov.Catalog.Organizations;

/// <summary>
/// organization_delete, group_delete, organization_purge and group_purge, as CKAN's <c>_group_or_org_delete</c> and
/// <c>_group_or_org_purge</c>. Datasets here always belong to an organization (CKAN's
/// <c>ckan.auth.create_unowned_dataset</c> off), so an organization that still has datasets that are not deleted is
/// neither deleted nor purged (409); a purge takes the organization's deleted datasets with it. A group's datasets
/// stay, outside the group. Each action checks <see cref="OrganizationAuth"/> first.
/// </summary>
public sealed class OrganizationRemover(OpenGovDb db, CurrentUser user, OrganizationAuth auth, ISearchIndexer indexer, PackageWriter writer)
{
    /// <summary>organization_delete: marked deleted, its members removed (its admins, sysadmins).</summary>
    public async Task DeleteOrganizationAsync(string idOrName, CancellationToken ct)
    {
        var org = await db.Organizations.FirstOrDefaultAsync(o => o.Id == idOrName || o.Name == idOrName, ct)
            ?? throw CkanException.NotFound("Group was not found.");
        await auth.DeleteOrganizationAsync(org, ct);
        await RefuseWhileDatasetsAsync(org, "deleted", ct);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.OrganizationRoles.RemoveRange(await db.OrganizationRoles.Where(r => r.OrganizationId == org.Id).ToListAsync(ct));
        org.State = RecordState.Deleted;
        AddActivity(org.Id, "deleted organization", OrganizationDict.From(org));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>group_delete: marked deleted; its datasets and members leave it (its admins, sysadmins).</summary>
    public async Task DeleteGroupAsync(string idOrName, CancellationToken ct)
    {
        var group = await db.Groups.FirstOrDefaultAsync(g => g.Id == idOrName || g.Name == idOrName, ct)
            ?? throw CkanException.NotFound("Group was not found.");
        await auth.DeleteGroupAsync(group, ct);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var datasetIds = await RemoveGroupLinksAsync(group.Id, ct);
        db.GroupRoles.RemoveRange(await db.GroupRoles.Where(r => r.GroupId == group.Id).ToListAsync(ct));
        group.State = RecordState.Deleted;
        AddActivity(group.Id, "deleted group", GroupDict.From(group));
        await db.SaveChangesAsync(ct);
        await ReindexAsync(datasetIds, ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>organization_purge: removed for good with its members and deleted datasets (sysadmins).</summary>
    public async Task PurgeOrganizationAsync(string idOrName, CancellationToken ct)
    {
        var org = await db.Organizations.FirstOrDefaultAsync(o => o.Id == idOrName || o.Name == idOrName, ct)
            ?? throw CkanException.NotFound("Organization was not found");
        auth.Purge();
        await RefuseWhileDatasetsAsync(org, "purged", ct);

        var deletedDatasets = await db.Datasets.WithFullPackage().Where(d => d.OwnerOrgId == org.Id).ToListAsync(ct);
        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await writer.RemoveDatasetsAsync(deletedDatasets, ct);
            db.OrganizationRoles.RemoveRange(await db.OrganizationRoles.Where(r => r.OrganizationId == org.Id).ToListAsync(ct));
            db.Organizations.Remove(org);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            throw CkanException.NotFound("Organization was not found");
        }

        await writer.AfterRemovedAsync(deletedDatasets, ct);
    }

    /// <summary>group_purge: removed for good; its datasets stay, outside it (sysadmins).</summary>
    public async Task PurgeGroupAsync(string idOrName, CancellationToken ct)
    {
        var group = await db.Groups.FirstOrDefaultAsync(g => g.Id == idOrName || g.Name == idOrName, ct)
            ?? throw CkanException.NotFound("Group was not found");
        auth.Purge();

        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var datasetIds = await RemoveGroupLinksAsync(group.Id, ct);
            db.Groups.Remove(group);
            await db.SaveChangesAsync(ct);
            await ReindexAsync(datasetIds, ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            throw CkanException.NotFound("Group was not found");
        }
    }

    /// <summary>CKAN's ValidationError({'message': ...}): a 409 whose error carries only a message.</summary>
    private async Task RefuseWhileDatasetsAsync(Organization org, string what, CancellationToken ct)
    {
        if (await db.Datasets.AnyAsync(d => d.OwnerOrgId == org.Id && d.State != RecordState.Deleted, ct))
        {
            throw new CkanException(409, "Validation Error", $"Organization cannot be {what} while it still has datasets");
        }
    }

    private async Task<List<string>> RemoveGroupLinksAsync(string groupId, CancellationToken ct)
    {
        var links = await db.DatasetGroups.Where(x => x.GroupId == groupId).ToListAsync(ct);
        db.DatasetGroups.RemoveRange(links);
        return [.. links.Select(x => x.DatasetId)];
    }

    private async Task ReindexAsync(List<string> datasetIds, CancellationToken ct)
    {
        foreach (var id in datasetIds)
        {
            await indexer.IndexAsync(id, ct);
        }
    }

    private void AddActivity(string objectId, string type, object dict) =>
        db.Activities.Add(new Activity
        {
            UserId = user.Id,
            ObjectId = objectId,
            ActivityType = type,
            Data = JsonSerializer.Serialize(new Dictionary<string, object> { ["group"] = dict }, CkanApi.Json),
        });
}
