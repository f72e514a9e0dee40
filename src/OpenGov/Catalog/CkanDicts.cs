using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using OpenGov.Storage;

namespace OpenGov.Catalog;

/// <summary>CKAN's dictionary shapes (package_show, resource_show, organization_show ...). Never EF entities.</summary>
public static class CkanTime
{
    /// <summary>CKAN writes naive UTC ISO timestamps with microseconds: 2020-11-06T01:02:03.123456.</summary>
    public static string Format(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture);

    public static string? Format(DateTime? utc) => utc is null ? null : Format(utc.Value);
}

public sealed record OrganizationDict(
    string Id,
    string Name,
    string Title,
    string DisplayName,
    string Type,
    string Description,
    string ImageUrl,
    string ImageDisplayUrl,
    string Created,
    bool IsOrganization,
    string ApprovalStatus,
    string State,
    [property: JsonPropertyName("local_gov_code")] string? LocalGovCode,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? PackageCount = null)
{
    public static OrganizationDict From(Organization o, int? packageCount = null) => new(
        o.Id, o.Name, o.Title, o.Title, "organization", o.Description, o.ImageUrl, o.ImageUrl,
        CkanTime.Format(o.Created), true, "approved", o.State, o.LocalGovCode, packageCount);
}

public sealed record GroupDict(
    string Id,
    string Name,
    string Title,
    string DisplayName,
    string Type,
    string Description,
    string ImageUrl,
    string ImageDisplayUrl,
    string Created,
    bool IsOrganization,
    string ApprovalStatus,
    string State,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? PackageCount = null)
{
    public static GroupDict From(Group g, int? packageCount = null) => new(
        g.Id, g.Name, g.Title, g.Title, "group", g.Description, g.ImageUrl, g.ImageUrl,
        CkanTime.Format(g.Created), false, "approved", g.State, packageCount);
}

public sealed record TagDict(string Id, string Name, string DisplayName, string State, string? VocabularyId);

public sealed record ExtraDict(string Key, string Value);

public sealed record ResourceDict
{
    public required string Id { get; init; }
    public required string PackageId { get; init; }
    public required string Url { get; init; }
    public required string Name { get; init; }
    public required string Description { get; init; }
    public required string Format { get; init; }
    public required string? Mimetype { get; init; }
    public required long? Size { get; init; }
    public required string Hash { get; init; }
    public required string? UrlType { get; init; }
    public required int Position { get; init; }
    public required string State { get; init; }
    public required string Created { get; init; }
    public required string? LastModified { get; init; }
    public required string MetadataModified { get; init; }
    public bool DatastoreActive { get; init; }
    public string? CacheUrl { get; init; }
    public string? CacheLastUpdated { get; init; }
    public string? MimetypeInner { get; init; }
    public string? ResourceType { get; init; }

    /// <summary>Downloads (all time and recent) when asked with include_tracking (<see cref="Usage.UsageTracking"/>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Usage.TrackingSummaryDict? TrackingSummary { get; init; }

    /// <summary>Keys a client added to the resource; CKAN returns them at the top level.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extras { get; init; }

    /// <param name="siteUrl">Base URL; uploaded files get their download URL under it.</param>
    public static ResourceDict From(Resource r, string siteUrl, bool datastoreActive = false) => new()
    {
        Id = r.Id,
        PackageId = r.DatasetId,
        Url = r.UrlType == "upload" ? DownloadUrl(siteUrl, r) : r.Url,
        Name = r.Name,
        Description = r.Description,
        Format = r.Format,
        Mimetype = string.IsNullOrEmpty(r.Mimetype) ? null : r.Mimetype,
        Size = r.Size,
        Hash = r.Hash,
        UrlType = string.IsNullOrEmpty(r.UrlType) ? null : r.UrlType,
        Position = r.Position,
        State = r.State,
        Created = CkanTime.Format(r.Created),
        LastModified = CkanTime.Format(r.LastModified),
        MetadataModified = CkanTime.Format(r.MetadataModified),
        DatastoreActive = datastoreActive,
        Extras = string.IsNullOrEmpty(r.ExtrasJson) || r.ExtrasJson == "{}" ? null : JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(r.ExtrasJson),
    };

    /// <summary>CKAN's download path for an uploaded file: /dataset/{id}/resource/{rid}/download/{file}.</summary>
    public static string DownloadUrl(string siteUrl, Resource r) =>
        $"{siteUrl}/dataset/{r.DatasetId}/resource/{r.Id}/download/{Uri.EscapeDataString(r.Url)}";
}

public sealed record PackageDict
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string Title { get; init; }
    public required string Author { get; init; }
    public required string AuthorEmail { get; init; }
    public required string Maintainer { get; init; }
    public required string MaintainerEmail { get; init; }
    public required string LicenseId { get; init; }
    public required string? LicenseTitle { get; init; }
    public required string? LicenseUrl { get; init; }
    public required string Notes { get; init; }
    public required string Url { get; init; }
    public required string Version { get; init; }
    public required string State { get; init; }
    public required string Type { get; init; }
    public required bool Private { get; init; }
    public required string OwnerOrg { get; init; }
    public required string MetadataCreated { get; init; }
    public required string MetadataModified { get; init; }
    public required string? CreatorUserId { get; init; }
    public required int NumResources { get; init; }
    public required int NumTags { get; init; }
    public required bool Isopen { get; init; }
    public required OrganizationDict? Organization { get; init; }
    public required IReadOnlyList<ResourceDict> Resources { get; init; }
    public required IReadOnlyList<TagDict> Tags { get; init; }
    public required IReadOnlyList<GroupDict> Groups { get; init; }
    public required IReadOnlyList<ExtraDict> Extras { get; init; }
    public IReadOnlyList<object> RelationshipsAsObject { get; init; } = [];
    public IReadOnlyList<object> RelationshipsAsSubject { get; init; } = [];

    /// <summary>Page views (all time and recent) when asked with include_tracking (<see cref="Usage.UsageTracking"/>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Usage.TrackingSummaryDict? TrackingSummary { get; init; }

    /// <summary>Builds the dict from a dataset loaded with its resources, tags (with Tag), groups (with Group) and extras.</summary>
    public static PackageDict From(Dataset d, Organization? org, string siteUrl, IReadOnlySet<string>? datastoreActiveResourceIds = null)
    {
        var license = Licenses.Find(d.LicenseId);
        var resources = d.Resources.Where(r => r.State == RecordState.Active).OrderBy(r => r.Position)
            .Select(r => ResourceDict.From(r, siteUrl, datastoreActiveResourceIds?.Contains(r.Id) == true)).ToList();
        var tags = d.Tags.Where(t => t.Tag is not null).Select(t => new TagDict(t.Tag!.Id, t.Tag.Name, t.Tag.Name, RecordState.Active, null))
            .OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
        return new PackageDict
        {
            Id = d.Id,
            Name = d.Name,
            Title = d.Title,
            Author = d.Author,
            AuthorEmail = d.AuthorEmail,
            Maintainer = d.Maintainer,
            MaintainerEmail = d.MaintainerEmail,
            LicenseId = d.LicenseId,
            LicenseTitle = license?.ApiTitle ?? (string.IsNullOrEmpty(d.LicenseId) ? null : d.LicenseId),
            LicenseUrl = license?.Url,
            Notes = d.Notes,
            Url = d.Url,
            Version = d.Version,
            State = d.State,
            Type = d.Type,
            Private = d.Private,
            OwnerOrg = d.OwnerOrgId,
            MetadataCreated = CkanTime.Format(d.MetadataCreated),
            MetadataModified = CkanTime.Format(d.MetadataModified),
            CreatorUserId = d.CreatorUserId,
            NumResources = resources.Count,
            NumTags = tags.Count,
            Isopen = license?.IsOpen == true,
            Organization = org is null ? null : OrganizationDict.From(org),
            Resources = resources,
            Tags = tags,
            Groups = [.. d.Groups.Where(g => g.Group is not null).Select(g => GroupDict.From(g.Group!)).OrderBy(g => g.Name, StringComparer.Ordinal)],
            Extras = [.. d.Extras.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => new ExtraDict(e.Key, e.Value))],
        };
    }
}
