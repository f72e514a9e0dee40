using Microsoft.EntityFrameworkCore;
using OpenGov.Accounts;
using OpenGov.Storage;

namespace OpenGov.Catalog.Search.Synonyms;

/// <summary>Who besides sysadmins may edit the synonym list; other rooms register one (the council: its secretariat).</summary>
public interface ISynonymEditor
{
    Task<bool> MayEditAsync(CancellationToken ct);
}

/// <summary>Reads and replaces the synonym list; a save moves the catalog stamp in the same transaction.</summary>
public sealed class SynonymEditing(OpenGovDb db, CurrentUser user, IEnumerable<ISynonymEditor> editors, SynonymStore store)
{
    public CurrentUser User => user;

    public async Task<bool> MayEditAsync(CancellationToken ct)
    {
        if (user.IsSysadmin)
        {
            return true;
        }

        foreach (var editor in editors)
        {
            if (await editor.MayEditAsync(ct))
            {
                return true;
            }
        }

        return false;
    }

    public Task<List<SearchSynonym>> ListAsync(CancellationToken ct) =>
        db.Set<SearchSynonym>().AsNoTracking().OrderBy(s => s.Id).ToListAsync(ct);

    /// <summary>
    /// Checks the text (one group a line) and returns the errors as (line number, message key, argument); saves
    /// nothing when there are any.
    /// </summary>
    public static (List<IReadOnlyList<string>> Groups, List<(int Line, string Error, string Arg)> Errors) Parse(string text)
    {
        var groups = new List<IReadOnlyList<string>>();
        var errors = new List<(int, string, string)>();
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i]))
            {
                continue;
            }

            var words = SynonymText.Split(lines[i]);
            if (words.FirstOrDefault(w => w.Length > SynonymText.MaxWordLength) is { } tooLong)
            {
                errors.Add((i + 1, "long", tooLong[..20] + "…"));
            }
            else if (words.Count < 2)
            {
                errors.Add((i + 1, "single", lines[i].Trim()));
            }
            else
            {
                groups.Add(words);
            }
        }

        if (groups.Count > SynonymText.MaxGroups)
        {
            errors.Add((0, "many", SynonymText.MaxGroups.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        return (groups, errors);
    }

    public async Task SaveAsync(IReadOnlyList<IReadOnlyList<string>> groups, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.Set<SearchSynonym>().ExecuteDeleteAsync(ct);
        var now = DateTime.UtcNow;
        db.Set<SearchSynonym>().AddRange(groups.Select(g => new SearchSynonym { Terms = SynonymText.Join(g), UpdatedBy = user.Name, UpdatedAt = now }));
        await db.SaveChangesAsync(ct);
        await CatalogStamp.BumpAsync(db, ct);
        await tx.CommitAsync(ct);
        store.Invalidate();
    }
}
