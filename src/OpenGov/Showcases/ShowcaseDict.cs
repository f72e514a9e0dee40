using System.Security.Cryptography;
using System.Text;
using OpenGov.Catalog;
using OpenGov.Shared;
using OpenGov.Storage;

namespace OpenGov.Showcases;

/// <summary>
/// A showcase as ckanext-showcase's ckanext_showcase_show answers it: CKAN's package dict with type "showcase", no
/// organization or resources, and the extension's keys image_url, image_display_url, num_datasets and
/// showcase_notes_formatted.
/// </summary>
public sealed record ShowcaseDict
{
    public required string Author { get; init; }
    public required string AuthorEmail { get; init; }
    public string? CreatorUserId { get; init; }
    public required string Id { get; init; }
    public bool Isopen { get; init; }
    public string? LicenseId { get; init; }
    public string? LicenseTitle { get; init; }
    public string? Maintainer { get; init; }
    public string? MaintainerEmail { get; init; }
    public required string MetadataCreated { get; init; }
    public required string MetadataModified { get; init; }
    public required string Name { get; init; }
    public required string Notes { get; init; }
    public int NumResources { get; init; }
    public required int NumTags { get; init; }
    public object? Organization { get; init; }
    public string? OwnerOrg { get; init; }
    public bool Private { get; init; }
    public string State { get; init; } = RecordState.Active;
    public required string Title { get; init; }
    public string Type { get; init; } = "showcase";
    public required string Url { get; init; }
    public string? Version { get; init; }
    public List<ExtraDict> Extras { get; init; } = [];
    public List<object> Groups { get; init; } = [];
    public List<object> Resources { get; init; } = [];
    public List<object> RelationshipsAsObject { get; init; } = [];
    public List<object> RelationshipsAsSubject { get; init; } = [];
    public required List<TagDict> Tags { get; init; }
    public required string ImageUrl { get; init; }
    public required string ImageDisplayUrl { get; init; }
    public required int NumDatasets { get; init; }
    public required string ShowcaseNotesFormatted { get; init; }

    public static ShowcaseDict From(Showcase s, int numDatasets, string siteUrl)
    {
        var tags = ShowcaseTags.Split(s.Tags).Select(t => new TagDict(TagId(t), t, t, RecordState.Active, null)).ToList();
        return new ShowcaseDict
        {
            Author = s.Author,
            AuthorEmail = s.AuthorEmail,
            CreatorUserId = s.CreatorUserId,
            Id = s.Id,
            MetadataCreated = CkanTime.Format(s.MetadataCreated),
            MetadataModified = CkanTime.Format(s.MetadataModified),
            Name = s.Name,
            Notes = s.Notes,
            NumTags = tags.Count,
            Title = s.Title,
            Url = s.Url,
            Tags = tags,
            ImageUrl = s.ImageUrl,
            ImageDisplayUrl = s.ImageUrl.StartsWith('/') ? siteUrl + s.ImageUrl : s.ImageUrl,
            NumDatasets = numDatasets,
            ShowcaseNotesFormatted = SafeMarkdown.ToHtml(s.Notes).Value ?? "",
        };
    }

    /// <summary>A stable id for a showcase tag (showcase tags are not rows of the catalog's tag table).</summary>
    private static string TagId(string name) => new Guid(SHA256.HashData(Encoding.UTF8.GetBytes("showcase-tag:" + name))[..16]).ToString();
}

/// <summary>How a showcase's tags are kept (one per line).</summary>
public static class ShowcaseTags
{
    public static IEnumerable<string> Split(string tags) => tags.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static string Join(IEnumerable<string> tags) => string.Join('\n', tags);
}
