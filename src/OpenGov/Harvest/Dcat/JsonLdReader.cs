using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenGov.Catalog.Search;

namespace OpenGov.Harvest.Dcat;

/// <summary>
/// Reads JSON-LD into triples: embedded contexts (prefixes, terms with @id, @type @id/@vocab or a datatype,
/// @language, @vocab, @base, nested contexts), @graph, @id, @type, value objects, @list and @set (read as the
/// values they hold), nested node objects and native numbers and booleans. Remote contexts (a context given as a URL)
/// are not fetched: terms only they define are dropped, full IRIs and prefixes defined here still read.
/// </summary>
public sealed class JsonLdReader
{
    private const string Xsd = "http://www.w3.org/2001/XMLSchema#";

    private readonly List<RdfTriple> _triples = [];
    private int _blank;

    private sealed record Term(string Iri, string? Type, string? Language);

    private sealed class Context
    {
        public Dictionary<string, Term> Terms { get; init; } = new(StringComparer.Ordinal);
        public string? Vocab { get; set; }
        public Uri? Base { get; set; }
        public string? Language { get; set; }

        public Context Copy() => new() { Terms = new(Terms, StringComparer.Ordinal), Vocab = Vocab, Base = Base, Language = Language };
    }

    public static List<RdfTriple> Read(string text, Uri? baseUri = null)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = 128 });
        }
        catch (JsonException e)
        {
            throw new RdfParseException("JSON-LD: " + e.Message);
        }

        var r = new JsonLdReader();
        var ctx = new Context { Base = baseUri };
        switch (root)
        {
            case JsonArray items:
                foreach (var item in items)
                {
                    r.TopLevel(item, ctx);
                }

                break;
            case JsonObject o:
                r.TopLevel(o, ctx);
                break;
            default:
                throw new RdfParseException("JSON-LD: the document is not an object or an array");
        }

        return r._triples;
    }

    private void TopLevel(JsonNode? node, Context ctx)
    {
        if (node is not JsonObject o)
        {
            return;
        }

        var local = o["@context"] is { } c ? Apply(ctx, c) : ctx;
        if (o["@graph"] is { } graph)
        {
            foreach (var item in Items(graph))
            {
                if (item is JsonObject n)
                {
                    Node(n, local);
                }
            }

            if (o.Any(kv => !kv.Key.StartsWith('@')))
            {
                Node(o, local);
            }

            return;
        }

        Node(o, local);
    }

    private RdfTerm Node(JsonObject o, Context outer)
    {
        var ctx = o["@context"] is { } c ? Apply(outer, c) : outer;
        RdfTerm subject = o["@id"] is JsonValue idv && idv.GetValueKind() == JsonValueKind.String
            ? Id(idv.GetValue<string>(), ctx, vocab: false)
            : NewBlank();
        foreach (var (key, value) in o)
        {
            if (value is null)
            {
                continue;
            }

            if (key is "@type" or "type" && (key == "@type" || Expand(key, ctx, vocab: true) == RdfGraph.RdfType))
            {
                foreach (var t in Items(value))
                {
                    if (t is JsonValue tv && tv.GetValueKind() == JsonValueKind.String && Id(tv.GetValue<string>(), ctx, vocab: true) is { Kind: RdfTermKind.Iri } type)
                    {
                        _triples.Add(new RdfTriple(subject, RdfGraph.RdfType, type));
                    }
                }

                continue;
            }

            if (key.StartsWith('@'))
            {
                continue;
            }

            var predicate = Expand(key, ctx, vocab: true);
            if (predicate is null || !predicate.Contains(':', StringComparison.Ordinal))
            {
                continue; // a term no context here defines: JSON-LD drops it
            }

            ctx.Terms.TryGetValue(key, out var term);
            foreach (var obj in Values(value, term, ctx))
            {
                _triples.Add(new RdfTriple(subject, predicate, obj));
            }
        }

        return subject;
    }

    private IEnumerable<RdfTerm> Values(JsonNode value, Term? term, Context ctx)
    {
        switch (value)
        {
            case JsonArray items:
                foreach (var item in items)
                {
                    if (item is not null)
                    {
                        foreach (var v in Values(item, term, ctx))
                        {
                            yield return v;
                        }
                    }
                }

                yield break;
            case JsonObject o when o["@value"] is { } literal:
                var lang = (string?)(o["@language"] as JsonValue)?.ToString();
                var type = o["@type"] is JsonValue tv ? Expand(tv.ToString(), ctx, vocab: true) : null;
                yield return RdfTerm.Literal(Text(literal), lang is null ? type : null, lang?.ToLowerInvariant());
                yield break;
            case JsonObject o when (o["@list"] ?? o["@set"]) is { } list:
                foreach (var v in Values(list, term, ctx))
                {
                    yield return v;
                }

                yield break;
            case JsonObject o:
                yield return Node(o, ctx);
                yield break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                var s = v.GetValue<string>();
                if (term?.Type is "@id" or "@vocab")
                {
                    yield return Id(s, ctx, vocab: term.Type == "@vocab");
                }
                else if (term?.Type is { } datatype)
                {
                    yield return RdfTerm.Literal(s, datatype);
                }
                else
                {
                    var language = term?.Language ?? ctx.Language;
                    yield return RdfTerm.Literal(s, language: string.IsNullOrEmpty(language) ? null : language.ToLowerInvariant());
                }

                yield break;
            case JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False:
                yield return RdfTerm.Literal(v.GetValueKind() == JsonValueKind.True ? "true" : "false", Xsd + "boolean");
                yield break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.Number:
                var n = v.ToJsonString();
                var integral = !n.Contains('.', StringComparison.Ordinal) && !n.Contains('e', StringComparison.OrdinalIgnoreCase);
                yield return RdfTerm.Literal(integral ? n : double.Parse(n, CultureInfo.InvariantCulture).ToString("0.0###############E0", CultureInfo.InvariantCulture), Xsd + (integral ? "integer" : "double"));
                yield break;
        }
    }

    private static string Text(JsonNode literal) =>
        literal is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : literal.ToJsonString();

    private RdfTerm Id(string id, Context ctx, bool vocab)
    {
        if (id.StartsWith("_:", StringComparison.Ordinal))
        {
            return RdfTerm.Blank("j" + id[2..]);
        }

        var expanded = Expand(id, ctx, vocab) ?? id;
        if (!vocab && !Uri.TryCreate(expanded, UriKind.Absolute, out _) && ctx.Base is { } b && Uri.TryCreate(b, expanded, out var resolved))
        {
            expanded = resolved.ToString();
        }

        return RdfTerm.Iri(expanded);
    }

    /// <summary>A term, compact IRI or IRI as a full IRI (null when nothing defines it).</summary>
    private static string? Expand(string key, Context ctx, bool vocab)
    {
        if (vocab && ctx.Terms.TryGetValue(key, out var term))
        {
            return term.Iri;
        }

        var colon = key.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0)
        {
            var prefix = key[..colon];
            var rest = key[(colon + 1)..];
            if (rest.StartsWith("//", StringComparison.Ordinal))
            {
                return key;
            }

            return ctx.Terms.TryGetValue(prefix, out var p) ? p.Iri + rest : key;
        }

        return vocab && ctx.Vocab is not null ? ctx.Vocab + key : vocab ? null : key;
    }

    private static Context Apply(Context outer, JsonNode context)
    {
        var ctx = outer.Copy();
        foreach (var c in Items(context))
        {
            if (c is not JsonObject o)
            {
                continue; // a remote context (URL) is not fetched; null resets nothing here
            }

            if (o["@vocab"] is JsonValue vocab)
            {
                ctx.Vocab = vocab.ToString();
            }

            if (o["@base"] is JsonValue b && Uri.TryCreate(b.ToString(), UriKind.Absolute, out var bu))
            {
                ctx.Base = bu;
            }

            if (o["@language"] is JsonValue l)
            {
                ctx.Language = l.ToString();
            }

            // two passes: prefixes first, so terms may use them in any order
            for (var pass = 0; pass < 2; pass++)
            {
                foreach (var (key, def) in o)
                {
                    if (key.StartsWith('@'))
                    {
                        continue;
                    }

                    switch (def)
                    {
                        case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                            ctx.Terms[key] = new Term(Expand(v.GetValue<string>(), ctx, vocab: false) ?? v.GetValue<string>(), null, null);
                            break;
                        case JsonObject d:
                            var id = d["@id"] is JsonValue idv ? Expand(idv.ToString(), ctx, vocab: false) : Expand(key, ctx, vocab: false);
                            var type = d["@type"] is JsonValue tv ? tv.ToString() is "@id" or "@vocab" ? tv.ToString() : Expand(tv.ToString(), ctx, vocab: false) : null;
                            if (id is not null)
                            {
                                ctx.Terms[key] = new Term(id, type, d["@language"] is JsonValue lv ? lv.ToString() : null);
                            }

                            break;
                    }
                }
            }
        }

        return ctx;
    }

    /// <summary>A value or the values of an array (without re-parenting the nodes).</summary>
    private static IEnumerable<JsonNode?> Items(JsonNode node)
    {
        if (node is JsonArray a)
        {
            return a;
        }

        return new[] { node }; // not a JsonArray: that would take the node from its parent
    }

    private RdfTerm NewBlank() => RdfTerm.Blank("k" + (_blank++).ToString(CultureInfo.InvariantCulture));
}
