using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace OpenGov.Hosting;

/// <summary>
/// The proxies or load balancers in front of the nodes (OpenGov:ForwardedHeaders). Off by default: the client's
/// address and scheme are the connection's, and X-Forwarded-* headers are ignored (anyone could send them).
/// </summary>
public sealed class ForwardedHeadersSettings
{
    /// <summary>Addresses of the proxies whose X-Forwarded-For and X-Forwarded-Proto are believed ("10.0.0.5", "::1").</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks of such proxies in CIDR notation ("10.0.0.0/8", "fd00::/8").</summary>
    public List<string> KnownNetworks { get; set; } = [];

    /// <summary>How many proxies in a row are read from the end of X-Forwarded-For (default 1: one balancer).</summary>
    public int ForwardLimit { get; set; } = 1;

    /// <summary>Also take the host from X-Forwarded-Host (only when the proxy does not pass the Host header on).</summary>
    public bool ForwardHost { get; set; }

    public bool Enabled => KnownProxies.Count > 0 || KnownNetworks.Count > 0;
}

/// <summary>
/// Makes the client's address and scheme, as a trusted proxy reports them, the request's own: rate limits and
/// participant admission per address, HSTS, Secure cookies, the same-origin check and absolute URLs then see the
/// client, not the balancer.
/// </summary>
public static class TrustedProxies
{
    /// <summary>The middleware's options, or null when no proxy is configured. A malformed entry stops the start with its name.</summary>
    public static ForwardedHeadersOptions? Options(ForwardedHeadersSettings settings)
    {
        if (!settings.Enabled)
        {
            return null;
        }

        var o = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | (settings.ForwardHost ? ForwardedHeaders.XForwardedHost : 0),
            ForwardLimit = Math.Max(1, settings.ForwardLimit),
        };
        o.KnownProxies.Clear();
        o.KnownIPNetworks.Clear();
        foreach (var entry in Entries(settings.KnownProxies))
        {
            o.KnownProxies.Add(IPAddress.TryParse(entry, out var ip) ? ip
                : throw new InvalidOperationException($"OpenGov:ForwardedHeaders:KnownProxies: '{entry}' is not an IP address"));
        }

        foreach (var entry in Entries(settings.KnownNetworks))
        {
            o.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(entry, out var net) ? net
                : throw new InvalidOperationException($"OpenGov:ForwardedHeaders:KnownNetworks: '{entry}' is not a network in CIDR notation (10.0.0.0/8)"));
        }

        return o;
    }

    /// <summary>Before everything that looks at the client's address or scheme.</summary>
    public static IApplicationBuilder UseTrustedProxies(this IApplicationBuilder app, ForwardedHeadersSettings settings) =>
        Options(settings) is { } o ? app.UseForwardedHeaders(o) : app;

    // a list may also be given as one comma-separated value (OpenGov__ForwardedHeaders__KnownProxies__0="10.0.0.5,10.0.0.6")
    private static IEnumerable<string> Entries(IEnumerable<string> values) =>
        values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
