using OpenGov.Notifications;

namespace OpenGov.Dashboards;

/// <summary>A dashboard's definition was saved (a new version): published after the commit, on every node with Redis.</summary>
public sealed record DashboardSaved(string Organization, string Slug, int Version) : IChange
{
    public static string Topic => "dashboards.saved";
}
