namespace OpenGov.Council.Pages;

/// <summary>Form fields of a member (bound as Input.*).</summary>
public sealed class MemberForm
{
    public string? Kind { get; set; }
    public string? Name { get; set; }
    public string? NameEn { get; set; }
    public string? LocalGovCode { get; set; }
    public string? Prefecture { get; set; }
    public string? Population { get; set; }
    public string? Organization { get; set; }
    public int? DisplayOrder { get; set; }
    public string? Notes { get; set; }

    public MemberInput ToInput() => new(Kind, Name, NameEn, LocalGovCode, Prefecture, Population, Organization, DisplayOrder, Notes);

    public static MemberForm From(CouncilMember m, string? organizationName) => new()
    {
        Kind = m.Kind,
        Name = m.Name,
        NameEn = m.NameEn,
        LocalGovCode = m.LocalGovCode,
        Prefecture = m.Prefecture,
        Population = m.Population?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Organization = organizationName,
        DisplayOrder = m.DisplayOrder,
        Notes = m.Notes,
    };
}

/// <summary>What the member form partial needs.</summary>
public sealed record MemberFormView(CouncilPageModel Page, MemberForm Input, bool Full);
