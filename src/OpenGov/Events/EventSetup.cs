using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using OpenGov.Accounts;
using OpenGov.Storage;

namespace OpenGov.Events;

/// <summary>
/// Setting events up: a sysadmin creates an event (its question code and presenter secret drawn here); a moderator
/// gives users a role in it (authorised by the moderator route group).
/// </summary>
public sealed class EventSetup(OpenGovDb db, CurrentUser user)
{
    public static string NewCode()
    {
        const string alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
        Span<char> chars = stackalloc char[6];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
        }

        return new string(chars);
    }

    public static string NewSecret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public async Task<Event> CreateAsync(Event ev, CancellationToken ct = default)
    {
        if (!user.IsSysadmin)
        {
            throw EventException.Forbidden();
        }

        ev.Slug = (ev.Slug ?? "").Trim().ToLowerInvariant();
        if (ev.Slug.Length is < 2 or > 100 || !ev.Slug.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_'))
        {
            throw EventException.Invalid("スラッグは2～100文字の英小文字・数字・ハイフンで指定してください。", "slug: 2 to 100 characters a-z, 0-9, '-' or '_'.");
        }

        if (string.IsNullOrWhiteSpace(ev.Title))
        {
            throw EventException.Invalid("タイトルを入力してください。", "title_ja is required.");
        }

        if (ev.EndsAt < ev.StartsAt)
        {
            throw EventException.Invalid("終了日時は開始日時より後にしてください。", "ends_at must not be before starts_at.");
        }

        if (await db.Set<Event>().AnyAsync(e => e.Slug == ev.Slug, ct))
        {
            throw new EventException(409, "conflict", "このスラッグは使われています。", "An event with this slug exists.");
        }

        ev.QuestionCode = string.IsNullOrWhiteSpace(ev.QuestionCode) ? NewCode() : ev.QuestionCode.Trim().ToLowerInvariant();
        if (await db.Set<Event>().AnyAsync(e => e.QuestionCode == ev.QuestionCode, ct))
        {
            throw new EventException(409, "conflict", "この質問コードは使われています。", "The question code is in use.");
        }

        ev.PresenterSecret = string.IsNullOrWhiteSpace(ev.PresenterSecret) ? NewSecret() : ev.PresenterSecret;
        db.Add(ev);
        await db.SaveChangesAsync(ct);
        return ev;
    }

    public async Task AssignAsync(Event ev, string userNameOrId, string role, CancellationToken ct = default)
    {
        if (!EventRoles.IsValid(role))
        {
            throw EventException.Invalid("役割は moderator か panelist です。", "role must be moderator or panelist.");
        }

        var target = await FindUserAsync(userNameOrId, ct);
        var existing = await db.Set<EventModerator>().FirstOrDefaultAsync(m => m.EventId == ev.Id && m.UserId == target.Id, ct);
        if (existing is null)
        {
            db.Add(new EventModerator { EventId = ev.Id, UserId = target.Id, Role = role });
        }
        else
        {
            existing.Role = role;
        }

        await db.SaveChangesAsync(ct);
    }

    public async Task UnassignAsync(Event ev, string userNameOrId, CancellationToken ct = default)
    {
        var target = await FindUserAsync(userNameOrId, ct);
        await db.Set<EventModerator>().Where(m => m.EventId == ev.Id && m.UserId == target.Id).ExecuteDeleteAsync(ct);
    }

    private async Task<User> FindUserAsync(string userNameOrId, CancellationToken ct) =>
        await db.Users.FirstOrDefaultAsync(u => u.Name == userNameOrId || u.Id == userNameOrId, ct)
            ?? throw new EventException(404, "not_found", "ユーザーが見つかりません。", "No such user.");
}
