using System.Text;

namespace OpenGov.DataStore;

/// <summary>
/// A full-text query of datastore_search with plain=false: PostgreSQL's tsquery operator syntax — terms,
/// <c>&amp;</c> (and), <c>|</c> (or), <c>!</c> (not), parentheses, 'quoted terms' and the prefix mark <c>:*</c> —
/// evaluated as case-insensitive substring matches, the same on SQLite and PostgreSQL (a term matches inside
/// unspaced Japanese text, where PostgreSQL's text search configurations find no word boundaries). Terms next to
/// each other without an operator are and-ed. The phrase operators <c>&lt;-&gt;</c> and <c>&lt;N&gt;</c> are refused.
/// </summary>
public abstract record TextQuery
{
    public sealed record Term(string Text) : TextQuery;

    public sealed record And(TextQuery Left, TextQuery Right) : TextQuery;

    public sealed record Or(TextQuery Left, TextQuery Right) : TextQuery;

    public sealed record Not(TextQuery Inner) : TextQuery;

    /// <summary>Parses <paramref name="text"/>; errors name <paramref name="parameter"/>. Null when the query has no terms.</summary>
    public static TextQuery? Parse(string text, string parameter)
    {
        var p = new Parser(text, parameter);
        p.SkipSpace();
        if (p.AtEnd)
        {
            return null;
        }

        var q = p.ParseOr();
        p.SkipSpace();
        if (!p.AtEnd)
        {
            throw p.Error("unexpected \"" + text[p.Position] + "\"");
        }

        return q;
    }

    /// <summary>Most terms in one query.</summary>
    public const int MaxTerms = 64;

    /// <summary>The plain form (plain=true): every whitespace-separated term must match.</summary>
    public static TextQuery? AllOf(IEnumerable<string> terms, string parameter)
    {
        TextQuery? q = null;
        var n = 0;
        foreach (var t in terms)
        {
            if (++n > MaxTerms)
            {
                throw new DataStoreValidationException(parameter, $"too many terms (at most {MaxTerms})");
            }

            q = q is null ? new Term(t) : new And(q, new Term(t));
        }

        return q;
    }

    private sealed class Parser(string s, string parameter)
    {
        private int _i;
        private int _depth;
        private int _terms;

        public int Position => _i;

        public bool AtEnd => _i >= s.Length;

        public DataStoreValidationException Error(string what) =>
            new(parameter, $"syntax error in the text query at character {_i + 1}: {what} (operators: & | ! ( ) 'quoted' :*)");

        private void Nest()
        {
            if (++_depth > 32)
            {
                throw Error("nested too deeply");
            }
        }

        public void SkipSpace()
        {
            while (_i < s.Length && (char.IsWhiteSpace(s[_i]) || s[_i] == '\u3000'))
            {
                _i++;
            }
        }

        public TextQuery ParseOr()
        {
            var left = ParseAnd();
            while (true)
            {
                SkipSpace();
                if (_i < s.Length && s[_i] == '|')
                {
                    _i++;
                    left = new Or(left, ParseAnd());
                }
                else
                {
                    return left;
                }
            }
        }

        private TextQuery ParseAnd()
        {
            var left = ParseNot();
            while (true)
            {
                SkipSpace();
                if (_i >= s.Length || s[_i] is '|' or ')')
                {
                    return left;
                }

                if (s[_i] == '&')
                {
                    _i++;
                }
                else if (s[_i] == '<')
                {
                    throw Error("the phrase operators <-> and <N> are not supported");
                }

                left = new And(left, ParseNot());
            }
        }

        private TextQuery ParseNot()
        {
            SkipSpace();
            if (_i < s.Length && s[_i] == '!')
            {
                _i++;
                Nest();
                var inner = ParseNot();
                _depth--;
                return new Not(inner);
            }

            return ParsePrimary();
        }

        private TextQuery ParsePrimary()
        {
            SkipSpace();
            if (_i >= s.Length)
            {
                throw Error("a term is missing at the end");
            }

            var c = s[_i];
            if (c == '(')
            {
                _i++;
                Nest();
                var inner = ParseOr();
                _depth--;
                SkipSpace();
                if (_i >= s.Length || s[_i] != ')')
                {
                    throw Error("\")\" is missing");
                }

                _i++;
                return inner;
            }

            if (c is '&' or '|' or ')' or '<' or ':')
            {
                throw Error($"a term is missing before \"{c}\"");
            }

            var sb = new StringBuilder();
            if (c == '\'')
            {
                _i++;
                while (true)
                {
                    if (_i >= s.Length)
                    {
                        throw Error("a closing quote is missing");
                    }

                    if (s[_i] == '\'')
                    {
                        if (_i + 1 < s.Length && s[_i + 1] == '\'')
                        {
                            sb.Append('\'');
                            _i += 2;
                            continue;
                        }

                        _i++;
                        break;
                    }

                    sb.Append(s[_i++]);
                }
            }
            else
            {
                while (_i < s.Length && !char.IsWhiteSpace(s[_i]) && s[_i] is not ('\u3000' or '&' or '|' or '!' or '(' or ')' or ':' or '<' or '\''))
                {
                    sb.Append(s[_i++]);
                }
            }

            // ":*" (prefix) and weight marks (":AB"): a substring match already matches prefixes
            if (_i < s.Length && s[_i] == ':')
            {
                _i++;
                while (_i < s.Length && (s[_i] == '*' || char.IsAsciiLetter(s[_i])))
                {
                    _i++;
                }
            }

            var term = sb.ToString().Trim();
            if (term.Length == 0)
            {
                throw Error("empty term");
            }

            if (++_terms > MaxTerms)
            {
                throw new DataStoreValidationException(parameter, $"too many terms (at most {MaxTerms})");
            }

            return new Term(term);
        }
    }
}
