using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using OpenGov.Catalog;
using OpenGov.Ckan;
using OpenGov.Showcases;
using OpenGov.Storage;

namespace OpenGov.Council.Contests;

/// <summary>
/// An awarded entry becomes a showcase in one step (the secretariat): title, summary as the notes, the first link as
/// the app's URL (the others in the notes), the entry's catalog datasets linked, and the contest and award in the notes
/// and tags. The showcase is written by the showcases room (<see cref="ShowcaseEditor.CreateAuthorisedAsync"/>, with
/// its audit) and the entry's link to it by the council (with the council's audit), in one transaction. The showcase's
/// name is fixed by the entry (<c>{contest}-entry-{id}</c>), so a second request — even a concurrent one — changes nothing.
/// </summary>
public sealed class ContestShowcases(OpenGovDb db, ContestEditor editor, ShowcaseEditor showcases)
{
    public sealed record Made(Showcase Showcase, bool Created);

    public async Task<Made> CreateAsync(string slug, long entryId, CancellationToken ct)
    {
        await editor.RequireSecretariatAsync(ct);
        var contest = await editor.FindAsync(slug, ct);
        var entry = await db.Set<ContestEntry>().FirstOrDefaultAsync(e => e.Id == entryId && e.ContestId == contest.Id, ct) ?? throw CouncilException.NotFound();
        var awards = await db.Set<ContestAward>().AsNoTracking().Where(a => a.EntryId == entry.Id).OrderBy(a => a.Order).ToListAsync(ct);
        if (awards.Count == 0)
        {
            throw CouncilException.Invalid("entry", "活用事例にできるのは賞を受けた応募だけです。");
        }

        if (entry.ShowcaseId is { } existing && await db.Set<Showcase>().AsNoTracking().FirstOrDefaultAsync(s => s.Id == existing, ct) is { } made)
        {
            return new Made(made, false);
        }

        // A name taken by a showcase or a dataset is found by the showcases room's own check (the catch below).
        var name = NameOf(contest, entry);
        var names = ContestEntry.Lines(entry.Datasets).ToList();
        var datasets = await db.Datasets.AsNoTracking()
            .Where(d => names.Contains(d.Name) && d.State == RecordState.Active && !d.Private).Select(d => d.Name).ToListAsync(ct);
        var links = ContestEntry.Lines(entry.Links).ToList();
        var data = new JsonObject
        {
            ["name"] = name,
            ["title"] = entry.Title,
            ["notes"] = Notes(contest, entry, awards, links),
            ["url"] = links.FirstOrDefault() ?? "",
            ["author"] = entry.TeamName,
            ["tags"] = new JsonArray(new JsonObject { ["name"] = "contest" }),
        };

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        Showcase showcase;
        try
        {
            showcase = await showcases.CreateAuthorisedAsync(data, datasets, ct);
        }
        catch (CkanException e) when (e.Fields is { } fields && fields.ContainsKey("name"))
        {
            throw CouncilException.Invalid("entry", "URL名「{0}」はすでに使われています（活用事例またはデータセット）。", name);
        }
        catch (CkanException e)
        {
            throw CouncilException.Invalid("entry", "活用事例を作れませんでした：{0}", e.Message);
        }

        entry.ShowcaseId = showcase.Id;
        await editor.SaveAsync(ct);
        await tx.CommitAsync(ct);
        return new Made(showcase, true);
    }

    /// <summary>The showcase's name: the contest's slug and the entry's number (a showcase name is at most 100 characters).</summary>
    public static string NameOf(Contest contest, ContestEntry entry)
    {
        var tail = "-entry-" + entry.Id;
        return (contest.Slug.Length + tail.Length <= 100 ? contest.Slug : contest.Slug[..(100 - tail.Length)]) + tail;
    }

    private static string Notes(Contest contest, ContestEntry entry, List<ContestAward> awards, List<string> links)
    {
        var lines = new List<string>
        {
            $"{contest.Title}　{string.Join("・", awards.Select(a => a.Name))}（[応募](/council/contests/{contest.Slug}/entry/{entry.Id})）",
            "",
            entry.Summary,
        };
        if (links.Count > 1)
        {
            lines.Add("");
            lines.AddRange(links.Skip(1).Select(l => "- <" + l + ">"));
        }

        return string.Join("\n", lines).Trim();
    }
}
