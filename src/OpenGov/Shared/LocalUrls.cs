namespace OpenGov.Shared;

/// <summary>
/// Return URLs (after login, after a language switch) are local paths only. Browsers drop tabs and line breaks from
/// URLs and read a backslash as a slash, so "/\t/evil.example", "/\evil.example" and "/%09/evil.example" style tricks
/// would leave the site: any control character, whitespace or backslash makes the URL unsafe, as does "//".
/// </summary>
public static class LocalUrls
{
    public static bool IsSafe(string? url) =>
        url is { Length: > 0 and <= 2048 }
        && url[0] == '/'
        && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
        && !url.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c == '\\' || char.IsSurrogate(c) || c is '\u200b' or '\u00ad' or '\ufeff');

    /// <summary>The URL when safe, else the fallback.</summary>
    public static string Or(string? url, string fallback) => IsSafe(url) ? url! : fallback;
}
