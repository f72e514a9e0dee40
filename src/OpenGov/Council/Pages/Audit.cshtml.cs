using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OpenGov.Storage;

namespace OpenGov.Council.Pages;

/// <summary>/council/audit: every write to the registry (secretariat).</summary>
public sealed class AuditModel(CouncilAccess access, OpenGovDb db, IStringLocalizer<CouncilText> text) : CouncilPageModel(text)
{
    public List<CouncilAuditEntry> Entries { get; private set; } = [];

    public string? Member { get; private set; }

    /// <summary>The page shown (1-based, <see cref="CouncilAuditPaging.PageSize"/> entries each) and how many there are.</summary>
    public int PageNumber { get; private set; } = 1;

    public int PageCount { get; private set; } = 1;

    /// <summary>The address of another page, with the member filter kept.</summary>
    public string LinkTo(int page) =>
        "/council/audit?" + (string.IsNullOrEmpty(Member) ? "" : "member=" + Uri.EscapeDataString(Member) + "&") + "page=" + page.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public async Task<IActionResult> OnGetAsync(string? member, [FromQuery] int page, CancellationToken ct)
    {
        if (!access.User.IsAuthenticated)
        {
            return Challenge();
        }

        if (!await access.IsSecretariatAsync(ct))
        {
            return Forbid();
        }

        Member = string.IsNullOrEmpty(member) ? null : member;
        var q = CouncilAuditPaging.Query(db, Member);
        var count = await q.CountAsync(ct);
        PageCount = Math.Max(1, (count + CouncilAuditPaging.PageSize - 1) / CouncilAuditPaging.PageSize);
        PageNumber = Math.Clamp(page, 1, PageCount);
        Entries = await q.Skip((PageNumber - 1) * CouncilAuditPaging.PageSize).Take(CouncilAuditPaging.PageSize).ToListAsync(ct);
        return Page();
    }
}
