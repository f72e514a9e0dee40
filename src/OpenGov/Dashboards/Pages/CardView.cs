namespace OpenGov.Dashboards.Pages;

/// <summary>
/// One card as the dashboard page draws it (<c>_Card.cshtml</c>); the editor's preview draws the same card without
/// the links that need a saved dashboard (CSV, permalink).
/// </summary>
/// <param name="BasePath">The dashboard's path (/dashboards/{org}/{slug}).</param>
/// <param name="Source">The source dataset (name, title) for the 出典 link, when known.</param>
/// <param name="Single">The card's own page (shows the embed code).</param>
/// <param name="Preview">Not saved yet: no CSV, permalink or embed code.</param>
public sealed record CardView(
    CardDefinition Card,
    CardResult Result,
    ChartModel Chart,
    string Language,
    string BasePath,
    (string Dataset, string Title)? Source,
    bool Single = false,
    bool Preview = false);
