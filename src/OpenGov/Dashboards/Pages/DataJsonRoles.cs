namespace OpenGov.Dashboards.Pages;

/// <summary>
/// What a card's table feeds in Tokyo's data.json (<see cref="TokyoDataSources"/>), as the card editor offers it: a
/// role belongs to a table (every card of that table shows it), and a table has at most one role. Each role reads
/// the standard columns, which the table must have.
/// </summary>
public static class DataJsonRoles
{
    public sealed record Role(string Name, string LabelJa, IReadOnlyList<string> Columns);

    public static IReadOnlyList<Role> All { get; } =
    [
        new("patients", "陽性患者属性（patients と patients_summary）", [TokyoColumns.ReleaseDate]),
        new("contacts", "コールセンター相談件数（contacts）", [TokyoColumns.CallDate, TokyoColumns.CallCount]),
        new("querents", "受診相談窓口の相談件数（querents）", [TokyoColumns.CallDate, TokyoColumns.CallCount]),
        new("inspections", "検査実施件数（inspections_summary）", [TokyoColumns.TestDate, TokyoColumns.TestCount]),
        new("testPeople", "検査実施人数（main_summary の検査実施人数）", [TokyoColumns.TestDate, TokyoColumns.TestPeople]),
        new("status", "検査陽性者の状況（main_summary の入院中・退院などの内訳）", [TokyoColumns.StatusDate, .. StatusColumns.Read(TokyoStatusSummary.Computation)]),
    ];

    public static Role? Find(string name) => All.FirstOrDefault(r => r.Name == name);

    /// <summary>The role of <paramref name="resource"/> in <paramref name="sources"/> ("" when none).</summary>
    public static string Of(TokyoDataSources? sources, string resource) =>
        sources is null || resource.Length == 0 ? ""
        : sources.Patients == resource ? "patients"
        : sources.CallCenter == resource ? "contacts"
        : sources.Querents == resource ? "querents"
        : sources.TestCount == resource ? "inspections"
        : sources.TestPeople == resource ? "testPeople"
        : sources.Status == resource ? "status"
        : "";

    /// <summary>
    /// <paramref name="sources"/> with <paramref name="resource"/> in <paramref name="role"/> only ("" = in none); the
    /// table that had the role before loses it. Null when no role is left (the dashboard then has no data.json).
    /// </summary>
    public static TokyoDataSources? With(TokyoDataSources? sources, string resource, string role)
    {
        string? Keep(string? current, string name) => name == role ? resource : current == resource ? null : current;
        var s = sources ?? new TokyoDataSources(null, null, null, null, null);
        var next = new TokyoDataSources(Keep(s.Patients, "patients"), Keep(s.CallCenter, "contacts"), Keep(s.Querents, "querents"),
            Keep(s.TestCount, "inspections"), Keep(s.TestPeople, "testPeople"), Keep(s.Status, "status"));
        return next is { Patients: null, CallCenter: null, Querents: null, TestCount: null, TestPeople: null, Status: null } ? null : next;
    }
}
