using System.Text;
using OpenGov.Ckan;

namespace OpenGov.Catalog.Search;

/// <summary>A parsed q or fq: the subset of Solr's Lucene syntax CKAN clients use.</summary>
public abstract record SolrNode;

/// <summary>All of the parts must hold.</summary>
public sealed record SolrAnd(IReadOnlyList<SolrNode> Parts) : SolrNode;

/// <summary>Any of the parts may hold.</summary>
public sealed record SolrOr(IReadOnlyList<SolrNode> Parts) : SolrNode;

public sealed record SolrNot(SolrNode Inner) : SolrNode;

/// <summary>Everything (*:*).</summary>
public sealed record SolrAll : SolrNode;

/// <summary>field:value (value may be "*" for "has a value").</summary>
public sealed record SolrField(string Field, string Value) : SolrNode;

/// <summary>field:[from TO to] on a date field; null bounds are open; { } bounds exclude their value.</summary>
public sealed record SolrRange(string Field, DateTime? From, DateTime? To, bool FromInclusive = true, bool ToInclusive = true) : SolrNode;

/// <summary>field:[from TO to] on a number field (num_resources, num_tags); null bounds are open.</summary>
public sealed record SolrNumberRange(string Field, long? From, long? To, bool FromInclusive = true, bool ToInclusive = true) : SolrNode;

/// <summary>
/// field:pat*ern on a string field: <see cref="Pattern"/> is a glob where unescaped * and ? are wildcards and a
/// backslash makes the next character literal.
/// </summary>
public sealed record SolrWildcard(string Field, string Pattern) : SolrNode;

/// <summary>
/// A free-text term (a word or a "quoted phrase"), optionally restricted to one text field (title, notes or
/// extras_KEY); <see cref="Prefix"/> when the word ended in an unescaped * (its last token matches as a prefix).
/// </summary>
public sealed record SolrText(string Text, string? Field, bool Prefix = false) : SolrNode;

/// <summary>A free-text word and its synonyms (from the editable list): any of them may match; ranked as one term.</summary>
public sealed record SolrSynonyms(IReadOnlyList<SolrText> Alternatives) : SolrNode;

/// <summary>
/// Parser for q and fq: clauses separated by spaces are AND-ed (CKAN's own search page relies on it); AND, OR, NOT,
/// +, -, parentheses, "quoted values", backslash escapes, field:(a OR b), field:*, date ranges
/// [2020-01-01T00:00:00Z TO NOW] and number ranges num_resources:{1 TO *], wildcards on string fields (name:chiba-*,
/// name:*-2020, name:a?c) and a trailing * on text words. Fields are those of CKAN's Solr schema: extras_KEY searches
/// an extra's value as text, and any other field name is an extra's key matched as a string (CKAN's index puts
/// extras in its own namespace and Solr's dynamic "*" field takes them). Anything else is a Search Query Error (400),
/// as CKAN reports Solr's refusal.
/// </summary>
public sealed class SolrQueryParser
{
    /// <summary>Fields matched exactly against the catalog (Solr "string" fields in CKAN's schema).</summary>
    public static readonly HashSet<string> ExactFields = new(StringComparer.Ordinal)
    {
        "organization", "owner_org", "tags", "groups", "res_format", "license_id", "name", "id", "private",
        "state", "dataset_type", "type", "capacity", "creator_user_id", "site_id", "entity_type", "url", "version",
    };

    /// <summary>Fields searched as text.</summary>
    public static readonly HashSet<string> TextFields = new(StringComparer.Ordinal) { "text", "title", "notes" };

    public static readonly HashSet<string> DateFields = new(StringComparer.Ordinal) { "metadata_modified", "metadata_created" };

    /// <summary>Counts searched by number (CKAN indexes them from package_show's dict).</summary>
    public static readonly HashSet<string> NumberFields = new(StringComparer.Ordinal) { "num_resources", "num_tags" };

    /// <summary>Prefix of the text fields CKAN's index makes of a dataset's extras (extras_KEY).</summary>
    public const string ExtrasPrefix = "extras_";

    /// <summary>Whether a field is searched as analysed text (title, notes, text, extras_KEY).</summary>
    public static bool IsTextField(string field) =>
        TextFields.Contains(field) || (field.StartsWith(ExtrasPrefix, StringComparison.Ordinal) && field.Length > ExtrasPrefix.Length);

    private readonly string _s;
    private int _i;

    private SolrQueryParser(string s) => _s = s;

    public static SolrNode Parse(string? query)
    {
        if (string.IsNullOrWhiteSpace(query))
        {
            return new SolrAll();
        }

        var p = new SolrQueryParser(query);
        var node = p.ParseOr();
        p.SkipSpace();
        if (p._i < p._s.Length)
        {
            throw Error($"unexpected '{p._s[p._i]}' at position {p._i}");
        }

        return node;
    }

    private static CkanException Error(string detail) =>
        CkanException.SearchQuery("Search Query is invalid: ('" + detail.Replace("'", "\\'", StringComparison.Ordinal) + "',)");

    private void SkipSpace()
    {
        while (_i < _s.Length && char.IsWhiteSpace(_s[_i]))
        {
            _i++;
        }
    }

    private bool AtKeyword(string kw)
    {
        SkipSpace();
        if (string.CompareOrdinal(_s, _i, kw, 0, kw.Length) != 0)
        {
            return false;
        }

        var end = _i + kw.Length;
        return end == _s.Length || char.IsWhiteSpace(_s[end]) || _s[end] == '(';
    }

    private SolrNode ParseOr()
    {
        var parts = new List<SolrNode> { ParseAnd() };
        while (AtKeyword("OR") || AtOperator("||"))
        {
            _i += 2;
            parts.Add(ParseAnd());
        }

        return parts.Count == 1 ? parts[0] : new SolrOr(parts);
    }

    private bool AtOperator(string op)
    {
        SkipSpace();
        return string.CompareOrdinal(_s, _i, op, 0, op.Length) == 0;
    }

    private SolrNode ParseAnd()
    {
        var parts = new List<SolrNode> { ParseUnary() };
        while (true)
        {
            SkipSpace();
            if (_i >= _s.Length || _s[_i] == ')' || AtKeyword("OR") || AtOperator("||"))
            {
                break;
            }

            if (AtKeyword("AND"))
            {
                _i += 3;
            }
            else if (AtOperator("&&"))
            {
                _i += 2;
            }

            parts.Add(ParseUnary());
        }

        return parts.Count == 1 ? parts[0] : new SolrAnd(parts);
    }

    private SolrNode ParseUnary()
    {
        SkipSpace();
        if (_i >= _s.Length)
        {
            throw Error("unexpected end of query");
        }

        if (_s[_i] == '-' || _s[_i] == '!')
        {
            _i++;
            return new SolrNot(ParseUnary());
        }

        if (_s[_i] == '+')
        {
            _i++;
            return ParseUnary();
        }

        if (AtKeyword("NOT"))
        {
            _i += 3;
            return new SolrNot(ParseUnary());
        }

        return ParsePrimary();
    }

    private SolrNode ParsePrimary()
    {
        SkipSpace();
        if (_s[_i] == '(')
        {
            _i++;
            var inner = ParseOr();
            SkipSpace();
            if (_i >= _s.Length || _s[_i] != ')')
            {
                throw Error("missing ')'");
            }

            _i++;
            return inner;
        }

        if (_s[_i] == '"')
        {
            return new SolrText(ReadQuoted(), null);
        }

        if (_s[_i] == ')')
        {
            throw Error($"unexpected ')' at position {_i}");
        }

        var glob = new StringBuilder();
        var word = ReadBare(stopAtColon: true, glob: glob);
        if (_i < _s.Length && _s[_i] == ':')
        {
            _i++;
            return ParseFieldValue(word);
        }

        if (word.Length == 0)
        {
            throw Error($"unexpected '{_s[_i]}' at position {_i}");
        }

        // A free word ending in an unescaped * is a prefix (accid* finds accident); other * and ? are separators.
        var g = glob.ToString();
        return word == "*" ? new SolrAll()
            : g.Length > 1 && g[^1] == '*' && !HasWildcard(g[..^1]) ? new SolrText(word[..^1], null, Prefix: true)
            : new SolrText(word, null);
    }

    private SolrNode ParseFieldValue(string field)
    {
        if (field == "*")
        {
            var v = ReadBare(stopAtColon: false);
            return v == "*" ? new SolrAll() : throw Error("expected *:*");
        }

        if (field.Length == 0)
        {
            throw Error($"missing field name at position {_i - 1}");
        }

        if (_i >= _s.Length || char.IsWhiteSpace(_s[_i]))
        {
            throw Error($"missing value for field {field}");
        }

        if (_s[_i] == '[' || _s[_i] == '{')
        {
            return ParseRange(field);
        }

        if (_s[_i] == '(')
        {
            _i++;
            var node = ParseFieldGroup(field);
            SkipSpace();
            if (_i >= _s.Length || _s[_i] != ')')
            {
                throw Error("missing ')'");
            }

            _i++;
            return node;
        }

        return ReadValueFor(field);
    }

    /// <summary>A quoted or bare value of a field; a bare value with unescaped * or ? is a wildcard.</summary>
    private SolrNode ReadValueFor(string field)
    {
        if (_s[_i] == '"')
        {
            return MakeField(field, ReadQuoted(), null);
        }

        var glob = new StringBuilder();
        var value = ReadBare(stopAtColon: false, glob: glob);
        if (value.Length == 0)
        {
            throw Error($"unexpected '{(_i < _s.Length ? _s[_i] : ' ')}' at position {_i}");
        }

        return MakeField(field, value, value != "*" && HasWildcard(glob.ToString()) ? glob.ToString() : null);
    }

    private static bool HasWildcard(string glob)
    {
        for (var i = 0; i < glob.Length; i++)
        {
            if (glob[i] == '\\')
            {
                i++;
            }
            else if (glob[i] is '*' or '?')
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>field:(a OR b c) — values inside share the field.</summary>
    private SolrNode ParseFieldGroup(string field)
    {
        var ors = new List<SolrNode>();
        var ands = new List<SolrNode>();
        while (true)
        {
            SkipSpace();
            if (_i >= _s.Length || _s[_i] == ')')
            {
                break;
            }

            if (AtKeyword("OR") || AtOperator("||"))
            {
                _i += 2;
                ors.Add(ands.Count == 1 ? ands[0] : new SolrAnd([.. ands]));
                ands.Clear();
                continue;
            }

            if (AtKeyword("AND"))
            {
                _i += 3;
                continue;
            }

            var negate = false;
            if (_s[_i] == '-')
            {
                negate = true;
                _i++;
            }
            else if (_s[_i] == '+')
            {
                _i++;
            }

            if (_i >= _s.Length)
            {
                break;
            }

            var node = ReadValueFor(field);
            ands.Add(negate ? new SolrNot(node) : node);
        }

        if (ands.Count > 0)
        {
            ors.Add(ands.Count == 1 ? ands[0] : new SolrAnd([.. ands]));
        }

        return ors.Count switch
        {
            0 => throw Error($"empty group for field {field}"),
            1 => ors[0],
            _ => new SolrOr(ors),
        };
    }

    /// <summary>field:value; <paramref name="glob"/> is the value as a wildcard pattern when it has unescaped * or ?.</summary>
    private SolrNode MakeField(string field, string value, string? glob)
    {
        if (DateFields.Contains(field))
        {
            if (value == "*")
            {
                return new SolrRange(field, null, null);
            }

            var at = (glob is null ? ParseDate(value) : null) ?? throw Error($"Invalid Date String:'{value}'");
            return new SolrRange(field, at, at);
        }

        if (NumberFields.Contains(field))
        {
            if (value == "*")
            {
                return new SolrNumberRange(field, null, null);
            }

            var n = (glob is null ? ParseNumber(value) : null) ?? throw Error($"Invalid Number: {value}");
            return new SolrNumberRange(field, n, n);
        }

        if (IsTextField(field))
        {
            var textField = field == "text" ? null : field;
            if (value == "*")
            {
                return field.StartsWith(ExtrasPrefix, StringComparison.Ordinal) ? new SolrField(field, "*") : new SolrAll();
            }

            if (glob is null)
            {
                return new SolrText(value, textField);
            }

            // Text is stored as analysed tokens: a trailing * is a prefix of the last token; other wildcards would
            // need every stored token scanned.
            var body = glob[..^1];
            if (glob[^1] != '*' || HasWildcard(body) || body.Length == 0)
            {
                throw Error($"only a trailing * is supported in a wildcard on text field {field}: {value}");
            }

            return new SolrText(value[..^1], textField, Prefix: true);
        }

        return glob is null ? new SolrField(field, value) : new SolrWildcard(field, glob);
    }

    private static long? ParseNumber(string v) =>
        long.TryParse(v, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : null;

    private SolrNode ParseRange(string field)
    {
        var fromInclusive = _s[_i] == '[';
        _i++; // [ or {
        var from = ReadBare(stopAtColon: false, stopAtBracket: true);
        SkipSpace();
        if (!AtKeyword("TO"))
        {
            throw Error("expected TO in range");
        }

        _i += 2;
        SkipSpace();
        var to = ReadBare(stopAtColon: false, stopAtBracket: true);
        SkipSpace();
        if (_i >= _s.Length || (_s[_i] != ']' && _s[_i] != '}'))
        {
            throw Error("missing ']' in range");
        }

        var toInclusive = _s[_i] == ']';
        _i++;
        if (NumberFields.Contains(field))
        {
            return new SolrNumberRange(field, Number(from), Number(to), fromInclusive, toInclusive);
        }

        if (!DateFields.Contains(field))
        {
            throw Error($"range queries are not supported on field {field}");
        }

        return new SolrRange(field, Bound(from), Bound(to), fromInclusive, toInclusive);

        DateTime? Bound(string v) => v == "*" ? null : ParseDate(v) ?? throw Error($"Invalid Date String:'{v}'");
        long? Number(string v) => v == "*" ? null : ParseNumber(v) ?? throw Error($"Invalid Number: {v}");
    }

    /// <summary>Solr dates: 2020-11-06T00:00:00Z (also without Z or time), NOW, NOW-1DAY/DAY style offsets of days.</summary>
    internal static DateTime? ParseDate(string v)
    {
        if (v.StartsWith("NOW", StringComparison.Ordinal))
        {
            var now = DateTime.UtcNow;
            var rest = v[3..];
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            var rounding = slash >= 0 ? rest[(slash + 1)..] : "";
            rest = slash >= 0 ? rest[..slash] : rest;
            if (rest.Length > 0)
            {
                var m = System.Text.RegularExpressions.Regex.Match(rest, "^([+-])(\\d{1,6})(DAYS?|HOURS?|MONTHS?|YEARS?)$");
                if (!m.Success)
                {
                    return null;
                }

                var n = int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) * (m.Groups[1].Value == "-" ? -1 : 1);
                now = m.Groups[3].Value[0] switch
                {
                    'D' => now.AddDays(n),
                    'H' => now.AddHours(n),
                    'M' => now.AddMonths(n),
                    _ => now.AddYears(n),
                };
            }

            return rounding.StartsWith("DAY", StringComparison.Ordinal) ? now.Date : now;
        }

        return DateTime.TryParse(v, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal, out var d)
            ? DateTime.SpecifyKind(d, DateTimeKind.Utc)
            : null;
    }

    private string ReadQuoted()
    {
        _i++; // opening quote
        var sb = new StringBuilder();
        while (_i < _s.Length && _s[_i] != '"')
        {
            if (_s[_i] == '\\' && _i + 1 < _s.Length)
            {
                _i++;
            }

            sb.Append(_s[_i]);
            _i++;
        }

        if (_i >= _s.Length)
        {
            throw Error("missing closing '\"'");
        }

        _i++;
        return sb.ToString();
    }

    /// <summary>A bare word; <paramref name="glob"/>, when given, receives it with escaped characters kept escaped.</summary>
    private string ReadBare(bool stopAtColon, bool stopAtBracket = false, StringBuilder? glob = null)
    {
        var sb = new StringBuilder();
        while (_i < _s.Length)
        {
            var c = _s[_i];
            if (c == '\\' && _i + 1 < _s.Length)
            {
                sb.Append(_s[_i + 1]);
                glob?.Append('\\').Append(_s[_i + 1]);
                _i += 2;
                continue;
            }

            if (char.IsWhiteSpace(c) || c == '(' || c == ')' || c == '"' || (stopAtColon && c == ':') || (stopAtBracket && (c == ']' || c == '}')))
            {
                break;
            }

            if (c is '[' or ']' or '{' or '}' or '^' or '~')
            {
                throw Error($"unexpected '{c}' at position {_i}");
            }

            sb.Append(c);
            glob?.Append(c);
            _i++;
        }

        return sb.ToString();
    }
}
