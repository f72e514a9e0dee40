using Microsoft.EntityFrameworkCore;
using OpenGov.Accounts;
using OpenGov.Storage;

namespace OpenGov.Events.Moderation;

/// <summary>
/// Who may do what in an event: sysadmins and the event's moderators run it; its panelists (and moderators) see the
/// Zoom details. The moderator route groups (<see cref="ModeratorFilter"/>) and the console page ask it once per request.
/// </summary>
public sealed class EventAuthorization(OpenGovDb db, CurrentUser user)
{
    /// <summary>The signed-in user's role in the event (moderator, panelist) or null.</summary>
    public async Task<string?> RoleAsync(Event ev, CancellationToken ct = default)
    {
        var id = user.Id;
        return id is null ? null : await db.Set<EventModerator>().AsNoTracking()
            .Where(m => m.EventId == ev.Id && m.UserId == id).Select(m => m.Role).FirstOrDefaultAsync(ct);
    }

    public async Task<bool> CanModerateAsync(Event ev, CancellationToken ct = default) =>
        user.IsSysadmin || await RoleAsync(ev, ct) == EventRoles.Moderator;

    /// <summary>Zoom details: panelists and moderators of the event, and sysadmins.</summary>
    public async Task<bool> CanSeeZoomAsync(Event ev, CancellationToken ct = default) =>
        user.IsSysadmin || await RoleAsync(ev, ct) is not null;

    /// <summary>Refuses (401 when not signed in, 403 when not a moderator) unless the user may moderate the event.</summary>
    public async Task RequireModeratorAsync(Event ev, CancellationToken ct = default)
    {
        if (!user.IsAuthenticated)
        {
            throw EventException.Unauthorized();
        }

        if (!await CanModerateAsync(ev, ct))
        {
            throw EventException.Forbidden();
        }
    }
}
