using System.Text;

namespace OpenGov.DataStore;

/// <summary>
/// CKAN's field names are at most 63 bytes (PostgreSQL's identifier limit); a header longer than 60 bytes (room for a
/// "_2" that keeps it unique) is stored shortened. A combined two-row header (group_column, e.g. 「（再掲）児童数
/// （特別支援学級在籍者・複式学級在籍者を除く）_１年」) keeps its column part and shortens the group, so that the
/// columns under one long group stay told apart; other names keep their beginning. Never splits a surrogate pair.
/// </summary>
public static class FieldNameLimit
{
    public const int MaxBytes = 60;

    /// <summary>The longest column part (after the last '_') kept whole when the group before it is shortened.</summary>
    private const int MaxKeptColumnBytes = 30;

    public static string Shorten(string name)
    {
        if (Encoding.UTF8.GetByteCount(name) <= MaxBytes)
        {
            return name;
        }

        var cut = name.LastIndexOf('_');
        if (cut > 0 && cut < name.Length - 1)
        {
            var column = name[cut..]; // with its '_'
            var columnBytes = Encoding.UTF8.GetByteCount(column);
            if (columnBytes <= MaxKeptColumnBytes)
            {
                return Prefix(name[..cut], MaxBytes - columnBytes) + column;
            }
        }

        return Prefix(name, MaxBytes);
    }

    /// <summary>The longest beginning of <paramref name="text"/> within <paramref name="bytes"/> UTF-8 bytes.</summary>
    private static string Prefix(string text, int bytes)
    {
        var used = 0;
        var i = 0;
        while (i < text.Length)
        {
            var step = char.IsHighSurrogate(text[i]) && i + 1 < text.Length ? 2 : 1;
            var size = Encoding.UTF8.GetByteCount(text.AsSpan(i, step));
            if (used + size > bytes)
            {
                break;
            }

            used += size;
            i += step;
        }

        return text[..i];
    }
}
