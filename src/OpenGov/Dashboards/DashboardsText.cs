namespace OpenGov.Dashboards;

/// <summary>Marker for the strings of the dashboard pages (keys are Japanese; English in DashboardsText.en.resx).</summary>
public sealed class DashboardsText;
