using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenGov.Ckan;

namespace OpenGov.Catalog.Organizations;

/// <summary>
/// The organization, group and member actions of the Action API. Reads: <see cref="OrganizationQueries"/>; writes:
/// <see cref="OrganizationEditor"/> and <see cref="MemberEditor"/>; who may call each: <see cref="OrganizationAuth"/>.
/// </summary>
public static class OrganizationActions
{
    public static void Map(CkanActionMapper api)
    {
        // reads
        api.CachedRead("organization_list", api.Group.MapMethods("/organization_list", CkanActionMapper.ReadMethods, OrganizationList), "Organization names, or dicts with all_fields (sort, limit, offset).");
        api.CachedRead("group_list", api.Group.MapMethods("/group_list", CkanActionMapper.ReadMethods, GroupList), "Group names, or dicts with all_fields (sort, limit, offset).");
        api.CachedRead("organization_show", api.Group.MapMethods("/organization_show", CkanActionMapper.ReadMethods, OrganizationShow), "One organization, with its local_gov_code, members and (include_datasets) datasets.");
        api.CachedRead("group_show", api.Group.MapMethods("/group_show", CkanActionMapper.ReadMethods, GroupShow), "One group and (include_datasets) its datasets.");
        api.Read("group_package_show", api.Group.MapMethods("/group_package_show", CkanActionMapper.ReadMethods, GroupPackageShow), "A group's public datasets, newest change first (id, limit default 10).");
        api.Read("member_roles_list", api.Group.MapMethods("/member_roles_list", CkanActionMapper.ReadMethods, MemberRolesList), "The roles a member may hold (group_type organization or group).");
        api.CachedRead("organization_list_for_user", api.Group.MapMethods("/organization_list_for_user", CkanActionMapper.ReadMethods, OrganizationListForUser), "Organizations where a user (default: the caller) holds a permission (manage_group, create_dataset, read).");

        // writes
        api.Write("organization_create", api.Group.MapPost("/organization_create", OrganizationCreate), "Create an organization (sysadmins); local_gov_code is checked.");
        api.Write("organization_update", api.Group.MapPost("/organization_update", OrganizationUpdate), "Replace an organization's details (its admins, sysadmins).");
        api.Write("organization_patch", api.Group.MapPost("/organization_patch", OrganizationPatch), "Change only the given keys of an organization.");
        api.Write("group_create", api.Group.MapPost("/group_create", GroupCreate), "Create a group (sysadmins).");
        api.Write("group_update", api.Group.MapPost("/group_update", GroupUpdate), "Replace a group's details (its admins, sysadmins).");
        api.Write("group_patch", api.Group.MapPost("/group_patch", GroupPatch), "Change only the given keys of a group.");
        api.Write("member_create", api.Group.MapPost("/member_create", MemberCreate), "Add a user to an organization (admin|editor|member) or a dataset to a group.");
        api.Write("member_delete", api.Group.MapPost("/member_delete", MemberDelete), "Remove a member.");
        api.Write("organization_member_create", api.Group.MapPost("/organization_member_create", OrganizationMemberCreate), "Make a user a member of an organization (id, username, role: admin|editor|member).");
        api.Write("organization_member_delete", api.Group.MapPost("/organization_member_delete", OrganizationMemberDelete), "Remove a user from an organization (id, username or user_id).");
        api.Write("group_member_create", api.Group.MapPost("/group_member_create", GroupMemberCreate), "Make a user a member of a group (id, username, role: admin|member); its admins, sysadmins.");
        api.Write("group_member_delete", api.Group.MapPost("/group_member_delete", GroupMemberDelete), "Remove a user from a group (id, username or user_id).");
        api.Write("organization_delete", api.Group.MapPost("/organization_delete", OrganizationDelete), "Mark an organization deleted (its admins, sysadmins); refused while it has datasets.");
        api.Write("group_delete", api.Group.MapPost("/group_delete", GroupDelete), "Mark a group deleted; its datasets and members leave it (its admins, sysadmins).");
        api.Write("organization_purge", api.Group.MapPost("/organization_purge", OrganizationPurge), "Remove an organization for good (sysadmins); refused while it has datasets.");
        api.Write("group_purge", api.Group.MapPost("/group_purge", GroupPurge), "Remove a group for good; its datasets stay (sysadmins).");
        api.Read("member_list", api.Group.MapMethods("/member_list", CkanActionMapper.ReadMethods, MemberList), "A group's or organization's members as [id, type, capacity] (object_type, capacity).");
    }

    // ------------------------------------------------------------------ reads

    private static async Task<JsonHttpResult<CkanEnvelope<JsonNode>>> OrganizationList(CkanRequest req, OrganizationQueries q, CancellationToken ct) =>
        CkanApi.Ok(req, await q.GroupListAsync(req, organizations: true, ct));

    private static async Task<JsonHttpResult<CkanEnvelope<JsonNode>>> GroupList(CkanRequest req, OrganizationQueries q, CancellationToken ct) =>
        CkanApi.Ok(req, await q.GroupListAsync(req, organizations: false, ct));

    private static async Task<JsonHttpResult<CkanEnvelope<JsonObject>>> OrganizationShow(CkanRequest req, OrganizationQueries q, CancellationToken ct) =>
        CkanApi.Ok(req, await q.OrganizationShowAsync(req.IdOrName(), req.Bool("include_datasets", false), req.Bool("include_dataset_count", true), req.Bool("include_users", true), ct));

    private static async Task<JsonHttpResult<CkanEnvelope<JsonObject>>> GroupShow(CkanRequest req, OrganizationQueries q, CancellationToken ct) =>
        CkanApi.Ok(req, await q.GroupShowAsync(req.IdOrName(), req.Bool("include_datasets", false), req.Bool("include_dataset_count", true), ct));

    private static async Task<JsonHttpResult<CkanEnvelope<JsonArray>>> OrganizationListForUser(CkanRequest req, OrganizationQueries q, CancellationToken ct) =>
        CkanApi.Ok(req, await q.OrganizationListForUserAsync(req.String("id"), req.String("permission") is { Length: > 0 } p ? p : "manage_group", req.Bool("include_dataset_count", false), ct));

    private static async Task<JsonHttpResult<CkanEnvelope<List<PackageDict>>>> GroupPackageShow(CkanRequest req, OrganizationQueries q, CancellationToken ct) =>
        CkanApi.Ok(req, await q.GroupPackageShowAsync(req.RequiredString("id"), req.String("limit"), ct));

    private static JsonHttpResult<CkanEnvelope<JsonArray>> MemberRolesList(CkanRequest req) =>
        CkanApi.Ok(req, OrganizationQueries.MemberRoles(req.String("group_type")));

    // ------------------------------------------------------------------ writes

    private static async Task<JsonHttpResult<CkanEnvelope<MemberDict>>> GroupMemberCreate(CkanRequest req, MemberEditor editor, CancellationToken ct) =>
        CkanApi.Ok(req, await editor.CreateGroupMemberAsync(req.Data, ct));

    private static async Task<JsonHttpResult<CkanEnvelope<object?>>> GroupMemberDelete(CkanRequest req, MemberEditor editor, CancellationToken ct)
    {
        await editor.DeleteGroupMemberAsync(req.Data, ct);
        return CkanApi.Ok<object?>(req, null);
    }

    private static async Task<JsonHttpResult<CkanEnvelope<object?>>> OrganizationDelete(CkanRequest req, OrganizationRemover remover, CancellationToken ct)
    {
        await remover.DeleteOrganizationAsync(req.RequiredString("id"), ct);
        return CkanApi.Ok<object?>(req, null);
    }

    private static async Task<JsonHttpResult<CkanEnvelope<object?>>> GroupDelete(CkanRequest req, OrganizationRemover remover, CancellationToken ct)
    {
        await remover.DeleteGroupAsync(req.RequiredString("id"), ct);
        return CkanApi.Ok<object?>(req, null);
    }

    private static async Task<JsonHttpResult<CkanEnvelope<object?>>> OrganizationPurge(CkanRequest req, OrganizationRemover remover, CancellationToken ct)
    {
        await remover.PurgeOrganizationAsync(req.RequiredString("id"), ct);
        return CkanApi.Ok<object?>(req, null);
    }

    private static async Task<JsonHttpResult<CkanEnvelope<object?>>> GroupPurge(CkanRequest req, OrganizationRemover remover, CancellationToken ct)
    {
        await remover.PurgeGroupAsync(req.RequiredString("id"), ct);
        return CkanApi.Ok<object?>(req, null);
    }

    private static async Task<JsonHttpResult<CkanEnvelope<OrganizationDict>>> OrganizationCreate(CkanRequest req, OrganizationEditor editor, CancellationToken ct) =>
        CkanApi.Ok(req, await editor.CreateOrganizationAsync(req.Data, ct));

    private static async Task<JsonHttpResult<CkanEnvelope<OrganizationDict>>> OrganizationUpdate(CkanRequest req, OrganizationEditor editor, CancellationToken ct) =>
        CkanApi.Ok(req, await editor.UpdateOrganizationAsync(req.Data, patch: false, ct));

    private static async Task<JsonHttpResult<CkanEnvelope<OrganizationDict>>> OrganizationPatch(CkanRequest req, OrganizationEditor editor, CancellationToken ct) =>
        CkanApi.Ok(req, await editor.UpdateOrganizationAsync(req.Data, patch: true, ct));

    private static async Task<JsonHttpResult<CkanEnvelope<GroupDict>>> GroupCreate(CkanRequest req, OrganizationEditor editor, CancellationToken ct) =>
        CkanApi.Ok(req, await editor.CreateGroupAsync(req.Data, ct));

    private static async Task<JsonHttpResult<CkanEnvelope<GroupDict>>> GroupUpdate(CkanRequest req, OrganizationEditor editor, CancellationToken ct) =>
        CkanApi.Ok(req, await editor.UpdateGroupAsync(req.Data, patch: false, ct));

    private static async Task<JsonHttpResult<CkanEnvelope<GroupDict>>> GroupPatch(CkanRequest req, OrganizationEditor editor, CancellationToken ct) =>
        CkanApi.Ok(req, await editor.UpdateGroupAsync(req.Data, patch: true, ct));

    private static async Task<JsonHttpResult<CkanEnvelope<MemberDict>>> MemberCreate(CkanRequest req, MemberEditor editor, CancellationToken ct) =>
        CkanApi.Ok(req, await editor.CreateMemberAsync(req.Data, ct));

    private static async Task<JsonHttpResult<CkanEnvelope<MemberDict>>> OrganizationMemberCreate(CkanRequest req, MemberEditor editor, CancellationToken ct) =>
        CkanApi.Ok(req, await editor.CreateOrganizationMemberAsync(req.Data, ct));

    private static async Task<JsonHttpResult<CkanEnvelope<object?>>> OrganizationMemberDelete(CkanRequest req, MemberEditor editor, CancellationToken ct)
    {
        await editor.DeleteOrganizationMemberAsync(req.Data, ct);
        return CkanApi.Ok<object?>(req, null);
    }

    private static async Task<JsonHttpResult<CkanEnvelope<JsonArray>>> MemberList(CkanRequest req, MemberEditor editor, OpenGov.Accounts.CurrentUser user, CancellationToken ct) =>
        CkanApi.Ok(req, await editor.MemberListAsync(req.IdOrName(), req.String("object_type"), req.String("capacity"), user, ct));

    private static async Task<JsonHttpResult<CkanEnvelope<object?>>> MemberDelete(CkanRequest req, MemberEditor editor, CancellationToken ct)
    {
        await editor.DeleteMemberAsync(req.Data, ct);
        return CkanApi.Ok<object?>(req, null);
    }
}
