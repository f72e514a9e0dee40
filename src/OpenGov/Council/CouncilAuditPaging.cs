using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OpenGov.Storage;

namespace OpenGov.Council;

/// <summary>
/// The audit history a page at a time, newest first: /council/audit shows <see cref="PageSize"/> entries a page,
/// GET /api/council/audit takes offset and limit (default and at most <see cref="MaxLimit"/>).
/// </summary>
public static class CouncilAuditPaging
{
    public const int PageSize = 100;
    public const int MaxLimit = 500;

    /// <summary>Every entry, or one member's, newest first.</summary>
    public static IQueryable<CouncilAuditEntry> Query(OpenGovDb db, string? member)
    {
        var q = db.Set<CouncilAuditEntry>().AsNoTracking();
        if (!string.IsNullOrEmpty(member))
        {
            q = q.Where(a => a.MemberId == member);
        }

        return q.OrderByDescending(a => a.Id);
    }

    /// <summary>offset: absent or empty is 0; else a whole number of 0 or more (400 with the field otherwise).</summary>
    public static int Offset(string? value) =>
        string.IsNullOrWhiteSpace(value) ? 0
        : int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n
        : throw CouncilException.Invalid("offset", "offset は0以上の整数で指定してください。");

    /// <summary>limit: absent or empty is <see cref="MaxLimit"/>; else 1 to <see cref="MaxLimit"/> (400 with the field otherwise).</summary>
    public static int Limit(string? value) =>
        string.IsNullOrWhiteSpace(value) ? MaxLimit
        : int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= MaxLimit ? n
        : throw CouncilException.Invalid("limit", "limit は1～{0}の整数で指定してください。", MaxLimit);
}
