using System.Globalization;
using System.Text;
using OpenGov.Catalog.Search;

namespace OpenGov.Harvest.Dcat;

/// <summary>Why an RDF document could not be read: where, and what was expected.</summary>
public sealed class RdfParseException(string message) : Exception(message);

/// <summary>
/// Reads Turtle (W3C RDF 1.1 Turtle, which N-Triples is a subset of) into triples: @prefix/@base and their SPARQL
/// forms, relative IRIs, prefixed names, blank nodes (labelled, [ ... ], collections as rdf:first/rest lists), the
/// four string quotes with escapes, language tags, datatypes, numbers and booleans. A syntax error throws
/// <see cref="RdfParseException"/> with the line.
/// </summary>
public sealed class TurtleReader
{
    private const string Rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
    private const string Xsd = "http://www.w3.org/2001/XMLSchema#";

    private readonly string _s;
    private readonly List<RdfTriple> _triples = [];
    private readonly Dictionary<string, string> _prefixes = new(StringComparer.Ordinal);
    private Uri? _base;
    private int _p;
    private int _blank;

    private TurtleReader(string text, Uri? baseUri)
    {
        _s = text;
        _base = baseUri;
    }

    public static List<RdfTriple> Read(string text, Uri? baseUri = null)
    {
        var r = new TurtleReader(text, baseUri);
        r.Document();
        return r._triples;
    }

    private void Document()
    {
        while (true)
        {
            Skip();
            if (_p >= _s.Length)
            {
                return;
            }

            if (TryKeyword("@prefix"))
            {
                PrefixDecl();
                Expect('.');
            }
            else if (TryKeyword("@base"))
            {
                Skip();
                _base = new Uri(IriRef());
                Expect('.');
            }
            else if (TryWord("PREFIX"))
            {
                PrefixDecl();
            }
            else if (TryWord("BASE"))
            {
                Skip();
                _base = new Uri(IriRef());
            }
            else
            {
                Triples();
                Expect('.');
            }
        }
    }

    private void PrefixDecl()
    {
        Skip();
        var start = _p;
        while (_p < _s.Length && _s[_p] != ':')
        {
            _p++;
        }

        var prefix = _s[start.._p].Trim();
        Expect(':');
        Skip();
        _prefixes[prefix] = IriRef();
    }

    private void Triples()
    {
        Skip();
        RdfTerm subject;
        if (Peek() == '[')
        {
            subject = BlankNodePropertyList();
            Skip();
            if (Peek() == '.')
            {
                return;
            }
        }
        else
        {
            subject = Subject();
        }

        PredicateObjectList(subject);
    }

    private void PredicateObjectList(RdfTerm subject)
    {
        while (true)
        {
            Skip();
            var predicate = Verb();
            while (true)
            {
                Skip();
                _triples.Add(new RdfTriple(subject, predicate, Object()));
                Skip();
                if (Peek() != ',')
                {
                    break;
                }

                _p++;
            }

            Skip();
            if (Peek() != ';')
            {
                return;
            }

            while (Peek() == ';')
            {
                _p++;
                Skip();
            }

            if (Peek() is '.' or ']' || _p >= _s.Length)
            {
                return;
            }
        }
    }

    private string Verb()
    {
        if (Peek() == 'a' && _p + 1 < _s.Length && (char.IsWhiteSpace(_s[_p + 1]) || _s[_p + 1] is '<' or '"' or '[' or '_'))
        {
            _p++;
            return Rdf + "type";
        }

        return Iri();
    }

    private RdfTerm Subject() => Peek() switch
    {
        '_' => BlankLabel(),
        '(' => Collection(),
        _ => RdfTerm.Iri(Iri()),
    };

    private RdfTerm Object()
    {
        var c = Peek();
        switch (c)
        {
            case '_': return BlankLabel();
            case '[': return BlankNodePropertyList();
            case '(': return Collection();
            case '"' or '\'': return Literal();
            case '<': return RdfTerm.Iri(IriRef());
        }

        if (char.IsAsciiDigit(c) || c is '+' or '-' or '.')
        {
            return Number();
        }

        if (TryWord("true"))
        {
            return RdfTerm.Literal("true", Xsd + "boolean");
        }

        if (TryWord("false"))
        {
            return RdfTerm.Literal("false", Xsd + "boolean");
        }

        return RdfTerm.Iri(Iri());
    }

    private RdfTerm BlankNodePropertyList()
    {
        Expect('[');
        var node = NewBlank();
        Skip();
        if (Peek() != ']')
        {
            PredicateObjectList(node);
        }

        Expect(']');
        return node;
    }

    private RdfTerm Collection()
    {
        Expect('(');
        var items = new List<RdfTerm>();
        Skip();
        while (Peek() != ')')
        {
            if (_p >= _s.Length)
            {
                throw Error("')' expected");
            }

            items.Add(Object());
            Skip();
        }

        _p++;
        RdfTerm list = RdfTerm.Iri(Rdf + "nil");
        for (var i = items.Count - 1; i >= 0; i--)
        {
            var cell = NewBlank();
            _triples.Add(new RdfTriple(cell, Rdf + "first", items[i]));
            _triples.Add(new RdfTriple(cell, Rdf + "rest", list));
            list = cell;
        }

        return list;
    }

    private RdfTerm BlankLabel()
    {
        if (!_s.AsSpan(_p).StartsWith("_:"))
        {
            throw Error("blank node label expected");
        }

        _p += 2;
        var start = _p;
        while (_p < _s.Length && IsNameChar(_s[_p]))
        {
            _p++;
        }

        while (_p > start && _s[_p - 1] == '.')
        {
            _p--;
        }

        return RdfTerm.Blank("t" + _s[start.._p]);
    }

    private RdfTerm NewBlank() => RdfTerm.Blank("g" + (_blank++).ToString(CultureInfo.InvariantCulture));

    private string Iri()
    {
        if (Peek() == '<')
        {
            return IriRef();
        }

        var start = _p;
        while (_p < _s.Length && _s[_p] != ':' && IsNameChar(_s[_p]))
        {
            _p++;
        }

        if (Peek() != ':')
        {
            _p = start;
            throw Error("IRI or prefixed name expected");
        }

        var prefix = _s[start.._p];
        _p++;
        var local = new StringBuilder();
        while (_p < _s.Length)
        {
            var c = _s[_p];
            if (c == '\\' && _p + 1 < _s.Length)
            {
                local.Append(_s[_p + 1]);
                _p += 2;
            }
            else if (c == '%' && _p + 2 < _s.Length)
            {
                local.Append(_s, _p, 3);
                _p += 3;
            }
            else if (IsNameChar(c) || c == ':')
            {
                local.Append(c);
                _p++;
            }
            else
            {
                break;
            }
        }

        // a local name does not end with '.', which ends the statement
        while (local.Length > 0 && local[^1] == '.')
        {
            local.Length--;
            _p--;
        }

        return _prefixes.TryGetValue(prefix, out var ns) ? ns + local : throw Error($"undeclared prefix '{prefix}:'");
    }

    private string IriRef()
    {
        Expect('<');
        var sb = new StringBuilder();
        while (_p < _s.Length && _s[_p] != '>')
        {
            if (_s[_p] == '\\' && _p + 1 < _s.Length && _s[_p + 1] is 'u' or 'U')
            {
                sb.Append(UnicodeEscape());
            }
            else if (char.IsWhiteSpace(_s[_p]))
            {
                throw Error("white space in an IRI");
            }
            else
            {
                sb.Append(_s[_p++]);
            }
        }

        Expect('>');
        var iri = sb.ToString();
        if (Uri.TryCreate(iri, UriKind.Absolute, out _) || _base is null)
        {
            return iri;
        }

        return Uri.TryCreate(_base, iri, out var resolved) ? resolved.ToString() : throw Error("bad relative IRI <" + iri + ">");
    }

    private RdfTerm Literal()
    {
        var q = _s[_p];
        var triple = _s.AsSpan(_p).StartsWith(new string(q, 3));
        _p += triple ? 3 : 1;
        var sb = new StringBuilder();
        while (true)
        {
            if (_p >= _s.Length)
            {
                throw Error("unterminated string");
            }

            var c = _s[_p];
            if (triple ? _s.AsSpan(_p).StartsWith(new string(q, 3)) && !(_p + 3 < _s.Length && _s[_p + 3] == q) : c == q)
            {
                _p += triple ? 3 : 1;
                break;
            }

            if (!triple && c is '\n' or '\r')
            {
                throw Error("line break in a short string");
            }

            if (c == '\\')
            {
                sb.Append(Escape());
                continue;
            }

            sb.Append(c);
            _p++;
        }

        if (Peek() == '@')
        {
            _p++;
            var start = _p;
            while (_p < _s.Length && (char.IsAsciiLetterOrDigit(_s[_p]) || _s[_p] == '-'))
            {
                _p++;
            }

            return RdfTerm.Literal(sb.ToString(), language: _s[start.._p].ToLowerInvariant());
        }

        if (_s.AsSpan(_p).StartsWith("^^"))
        {
            _p += 2;
            return RdfTerm.Literal(sb.ToString(), Iri());
        }

        return RdfTerm.Literal(sb.ToString());
    }

    private string Escape()
    {
        var next = _p + 1 < _s.Length ? _s[_p + 1] : '\0';
        if (next is 'u' or 'U')
        {
            return UnicodeEscape();
        }

        _p += 2;
        return next switch
        {
            't' => "\t",
            'n' => "\n",
            'r' => "\r",
            'b' => "\b",
            'f' => "\f",
            '"' or '\'' or '\\' => next.ToString(),
            _ => throw Error("unknown escape \\" + next),
        };
    }

    private string UnicodeEscape()
    {
        var len = _s[_p + 1] == 'u' ? 4 : 8;
        if (_p + 2 + len > _s.Length || !int.TryParse(_s.AsSpan(_p + 2, len), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code))
        {
            throw Error("bad \\u escape");
        }

        _p += 2 + len;
        return char.ConvertFromUtf32(code);
    }

    private RdfTerm Number()
    {
        var start = _p;
        if (_s[_p] is '+' or '-')
        {
            _p++;
        }

        while (_p < _s.Length && (char.IsAsciiDigit(_s[_p]) || (_s[_p] == '.' && _p + 1 < _s.Length && char.IsAsciiDigit(_s[_p + 1]))
            || _s[_p] is 'e' or 'E' || (_s[_p] is '+' or '-' && _s[_p - 1] is 'e' or 'E')))
        {
            _p++;
        }

        var text = _s[start.._p];
        if (text.Length == 0 || text is "+" or "-")
        {
            throw Error("number expected");
        }

        var type = text.Contains('e', StringComparison.OrdinalIgnoreCase) ? "double" : text.Contains('.', StringComparison.Ordinal) ? "decimal" : "integer";
        return RdfTerm.Literal(text, Xsd + type);
    }

    private static bool IsNameChar(char c) => char.IsLetterOrDigit(c) || c is '_' or '-' or '.' || c > 0x7f;

    private bool TryKeyword(string word)
    {
        if (_s.AsSpan(_p).StartsWith(word, StringComparison.Ordinal))
        {
            _p += word.Length;
            return true;
        }

        return false;
    }

    private bool TryWord(string word)
    {
        if (_s.AsSpan(_p).StartsWith(word, StringComparison.OrdinalIgnoreCase)
            && (_p + word.Length >= _s.Length || !IsNameChar(_s[_p + word.Length]) && _s[_p + word.Length] != ':'))
        {
            _p += word.Length;
            return true;
        }

        return false;
    }

    private char Peek() => _p < _s.Length ? _s[_p] : '\0';

    private void Expect(char c)
    {
        Skip();
        if (Peek() != c)
        {
            throw Error($"'{c}' expected");
        }

        _p++;
    }

    private void Skip()
    {
        while (_p < _s.Length)
        {
            if (char.IsWhiteSpace(_s[_p]) || _s[_p] == '\uFEFF')
            {
                _p++;
            }
            else if (_s[_p] == '#')
            {
                while (_p < _s.Length && _s[_p] != '\n')
                {
                    _p++;
                }
            }
            else
            {
                return;
            }
        }
    }

    private RdfParseException Error(string what)
    {
        var line = 1;
        for (var i = 0; i < Math.Min(_p, _s.Length); i++)
        {
            if (_s[i] == '\n')
            {
                line++;
            }
        }

        return new RdfParseException($"Turtle, line {line}: {what}");
    }
}
