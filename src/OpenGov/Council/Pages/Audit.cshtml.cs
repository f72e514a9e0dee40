using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OpenGov.Storage;

namespace OpenGov.Council.Pages;

/// <summary>/council/audit: every write to the registry (secretariat).</summary>
public sealed class AuditModel(CouncilAccess access, OpenGovDb db, IStringLocalizer<CouncilText> text) : CouncilPageModel(text)
{
    public List<CouncilAuditEntry> Entries { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string? member, CancellationToken ct)
    {
        if (!access.User.IsAuthenticated)
        {
            return Challenge();
        }

        if (!await access.IsSecretariatAsync(ct))
        {
            return Forbid();
        }

        var q = db.Set<CouncilAuditEntry>().AsNoTracking();
        if (!string.IsNullOrEmpty(member))
        {
            q = q.Where(a => a.MemberId == member);
        }

        Entries = await q.OrderByDescending(a => a.Id).Take(500).ToListAsync(ct);
        return Page();
    }
}
