using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OpenGov.Council.Contests;
using OpenGov.Dashboards;
using OpenGov.Events;
using OpenGov.Storage;

namespace OpenGov.Council.Pages;

/// <summary>
/// /council/member/{id}: a member's profile, periods and roles, its catalog organization and the events where it
/// spoke, its dashboards and contest entries; forms for the secretariat (everything) and the organization's admins (the profile).
/// </summary>
public sealed class MemberModel(CouncilRegistry registry, CouncilAccess access, CouncilEditor editor, ContestQueries contests, DashboardStore dashboards, OpenGovDb db, IStringLocalizer<CouncilText> text)
    : CouncilPageModel(text)
{
    public CouncilMember Member { get; private set; } = null!;

    public string? OrganizationName { get; private set; }

    public int DatasetCount { get; private set; }

    public List<Event> SpokeAt { get; private set; } = [];

    /// <summary>The dashboards of the member's catalog organization.</summary>
    public IReadOnlyList<(string Slug, OpenGov.Dashboards.DashboardDefinition Definition)> Dashboards { get; private set; } = [];

    /// <summary>The member's entries everyone may see (<see cref="ContestQueries.OfMemberAsync"/>).</summary>
    public List<(Contest Contest, ContestEntry Entry)> Entries { get; private set; } = [];

    public bool IsSecretariat { get; private set; }

    public bool CanEditProfile { get; private set; }

    [BindProperty]
    public MemberForm Input { get; set; } = new();

    [BindProperty]
    public string? Joined { get; set; }

    [BindProperty]
    public string? Left { get; set; }

    [BindProperty]
    public string? RoleStarts { get; set; }

    [BindProperty]
    public string? RoleEnds { get; set; }

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }

        Input = MemberForm.From(Member, OrganizationName);
        return Page();
    }

    public Task<IActionResult> OnPostProfileAsync(string id, CancellationToken ct) =>
        TryWriteAsync(async () => await DoneAsync(editor.UpdateMemberAsync(id, Input.ToInput(), ct), id), () => LoadAsync(id, ct));

    public Task<IActionResult> OnPostPeriodAsync(string id, CancellationToken ct) =>
        TryWriteAsync(async () => await DoneAsync(editor.AddPeriodAsync(id, new PeriodInput(Joined, Left), ct), id), () => ReloadKeepingInputAsync(id, ct));

    public Task<IActionResult> OnPostDeletePeriodAsync(string id, long periodId, CancellationToken ct) =>
        TryWriteAsync(async () => await DoneAsync(editor.DeletePeriodAsync(id, periodId, ct), id), () => ReloadKeepingInputAsync(id, ct));

    public Task<IActionResult> OnPostRoleAsync(string id, CancellationToken ct) =>
        TryWriteAsync(async () => await DoneAsync(editor.AddRoleAsync(id, new RoleInput(CouncilRoles.Chair, RoleStarts, RoleEnds), ct), id), () => ReloadKeepingInputAsync(id, ct));

    public Task<IActionResult> OnPostDeleteRoleAsync(string id, long roleId, CancellationToken ct) =>
        TryWriteAsync(async () => await DoneAsync(editor.DeleteRoleAsync(id, roleId, ct), id), () => ReloadKeepingInputAsync(id, ct));

    private async Task<IActionResult> DoneAsync(Task write, string id)
    {
        await write;
        return Redirect("/council/member/" + id);
    }

    private async Task ReloadKeepingInputAsync(string id, CancellationToken ct)
    {
        await LoadAsync(id, ct);
        Input = MemberForm.From(Member, OrganizationName);
    }

    private async Task<bool> LoadAsync(string id, CancellationToken ct)
    {
        var s = await registry.LoadAsync(ct);
        var member = s.Members.FirstOrDefault(m => m.Id == id);
        if (member is null)
        {
            return false;
        }

        Member = member;
        OrganizationName = s.OrganizationName(member);
        IsSecretariat = await access.IsSecretariatAsync(ct);
        CanEditProfile = await access.CanEditProfileAsync(member, ct);
        if (member.OrganizationId is { } org)
        {
            DatasetCount = await db.Datasets.CountAsync(d => d.OwnerOrgId == org && d.State == "active" && !d.Private, ct);
            Dashboards = await dashboards.ListAsync(org, ct);
        }

        var name = member.Name;
        SpokeAt = await db.Set<Event>().AsNoTracking()
            .Where(e => e.Programme.Any(p => p.Speakers.Any(sp => sp.Affiliation == name || sp.Affiliation.StartsWith(name + "\n"))))
            .OrderBy(e => e.StartsAt).ToListAsync(ct);
        Entries = await contests.OfMemberAsync(member, ct);
        return true;
    }
}
