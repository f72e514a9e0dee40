using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Xml;

namespace OpenGov.Catalog.Search;

/// <summary>An RDF term: an IRI, a blank node, or a literal (with a datatype IRI or a language).</summary>
public sealed record RdfTerm(RdfTermKind Kind, string Value, string? Datatype = null, string? Language = null)
{
    public static RdfTerm Iri(string iri) => new(RdfTermKind.Iri, iri);

    public static RdfTerm Blank(string id) => new(RdfTermKind.Blank, id);

    public static RdfTerm Literal(string value, string? datatype = null, string? language = null) => new(RdfTermKind.Literal, value, datatype, language);
}

public enum RdfTermKind
{
    Iri,
    Blank,
    Literal,
}

public sealed record RdfTriple(RdfTerm Subject, string Predicate, RdfTerm Object);

/// <summary>
/// A small RDF graph with the three serializations ckanext-dcat offers (Turtle, RDF/XML, JSON-LD). Triples keep their
/// insertion order; subjects are written in order of first appearance. A graph is a set: a triple added twice (the
/// publisher of many datasets, a licence of many distributions) is written once.
/// </summary>
public sealed class RdfGraph
{
    public static readonly IReadOnlyList<(string Prefix, string Ns)> Namespaces =
    [
        ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
        ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
        ("dcat", "http://www.w3.org/ns/dcat#"),
        ("dct", "http://purl.org/dc/terms/"),
        ("foaf", "http://xmlns.com/foaf/0.1/"),
        ("vcard", "http://www.w3.org/2006/vcard/ns#"),
        ("owl", "http://www.w3.org/2002/07/owl#"),
        ("xsd", "http://www.w3.org/2001/XMLSchema#"),
        ("hydra", "http://www.w3.org/ns/hydra/core#"),
    ];

    public const string RdfType = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";

    private readonly List<RdfTriple> _triples = [];
    private readonly HashSet<RdfTriple> _seen = [];
    private int _blank;

    public IReadOnlyList<RdfTriple> Triples => _triples;

    public static string Expand(string curie)
    {
        var colon = curie.IndexOf(':', StringComparison.Ordinal);
        var prefix = curie[..colon];
        return Namespaces.First(n => n.Prefix == prefix).Ns + curie[(colon + 1)..];
    }

    public RdfTerm NewBlank() => RdfTerm.Blank("b" + (_blank++).ToString(CultureInfo.InvariantCulture));

    /// <summary>Adds a triple; the predicate is a CURIE of the known namespaces. Null or empty literals are skipped.</summary>
    public void Add(RdfTerm subject, string predicate, RdfTerm? obj)
    {
        if (obj is null || (obj.Kind == RdfTermKind.Literal && string.IsNullOrEmpty(obj.Value)))
        {
            return;
        }

        Put(new RdfTriple(subject, Expand(predicate), obj));
    }

    private void Put(RdfTriple triple)
    {
        if (_seen.Add(triple))
        {
            _triples.Add(triple);
        }
    }

    public void Add(RdfTerm subject, string predicate, string? literal) =>
        Add(subject, predicate, string.IsNullOrEmpty(literal) ? null : RdfTerm.Literal(literal));

    public void Type(RdfTerm subject, string typeCurie) => Put(new RdfTriple(subject, RdfType, RdfTerm.Iri(Expand(typeCurie))));

    private List<IGrouping<RdfTerm, RdfTriple>> BySubject() => [.. _triples.GroupBy(t => t.Subject)];

    // ---- Turtle ----
    public string ToTurtle()
    {
        var sb = new StringBuilder();
        foreach (var (prefix, ns) in Namespaces)
        {
            sb.Append("@prefix ").Append(prefix).Append(": <").Append(ns).Append("> .\n");
        }

        foreach (var group in BySubject())
        {
            sb.Append('\n').Append(TurtleTerm(group.Key)).Append('\n');
            var preds = group.GroupBy(t => t.Predicate).ToList();
            for (var i = 0; i < preds.Count; i++)
            {
                var p = preds[i].Key == RdfType ? "a" : TurtlePredicate(preds[i].Key);
                sb.Append("    ").Append(p).Append(' ').Append(string.Join(",\n        ", preds[i].Select(t => TurtleTerm(t.Object))));
                sb.Append(i == preds.Count - 1 ? " .\n" : " ;\n");
            }
        }

        return sb.ToString();
    }

    private static string TurtlePredicate(string iri)
    {
        foreach (var (prefix, ns) in Namespaces)
        {
            if (iri.StartsWith(ns, StringComparison.Ordinal) && iri.Length > ns.Length && iri[ns.Length..].All(char.IsAsciiLetterOrDigit))
            {
                return prefix + ":" + iri[ns.Length..];
            }
        }

        return TurtleIri(iri);
    }

    private static string TurtleTerm(RdfTerm t) => t.Kind switch
    {
        RdfTermKind.Iri => TurtlePredicate(t.Value),
        RdfTermKind.Blank => "_:" + t.Value,
        _ => TurtleString(t.Value) + (t.Language is not null ? "@" + t.Language : t.Datatype is not null ? "^^" + TurtlePredicate(t.Datatype) : ""),
    };

    /// <summary>IRIREF: characters Turtle forbids inside &lt;&gt; are written as \u escapes.</summary>
    public static string TurtleIri(string iri)
    {
        var sb = new StringBuilder("<");
        foreach (var c in iri)
        {
            if (c <= 0x20 || c is '<' or '>' or '"' or '{' or '}' or '|' or '^' or '`' or '\\')
            {
                sb.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.Append('>').ToString();
    }

    public static string TurtleString(string s)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c < 0x20 || c == 0x7F)
                    {
                        sb.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        return sb.Append('"').ToString();
    }

    // ---- RDF/XML ----
    public string ToRdfXml()
    {
        var sb = new StringBuilder();
        var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false), OmitXmlDeclaration = true, CheckCharacters = true };
        using (var w = XmlWriter.Create(sb, settings))
        {
            w.WriteStartElement("rdf", "RDF", Expand("rdf:"));
            foreach (var (prefix, ns) in Namespaces.Where(n => n.Prefix != "rdf"))
            {
                w.WriteAttributeString("xmlns", prefix, null, ns);
            }

            foreach (var group in BySubject())
            {
                w.WriteStartElement("rdf", "Description", Expand("rdf:"));
                if (group.Key.Kind == RdfTermKind.Blank)
                {
                    w.WriteAttributeString("rdf", "nodeID", Expand("rdf:"), group.Key.Value);
                }
                else
                {
                    w.WriteAttributeString("rdf", "about", Expand("rdf:"), XmlSafe(group.Key.Value));
                }

                foreach (var t in group)
                {
                    var (ns, local) = Split(t.Predicate);
                    w.WriteStartElement(local, ns);
                    switch (t.Object.Kind)
                    {
                        case RdfTermKind.Iri:
                            w.WriteAttributeString("rdf", "resource", Expand("rdf:"), XmlSafe(t.Object.Value));
                            break;
                        case RdfTermKind.Blank:
                            w.WriteAttributeString("rdf", "nodeID", Expand("rdf:"), t.Object.Value);
                            break;
                        default:
                            if (t.Object.Language is not null)
                            {
                                w.WriteAttributeString("xml", "lang", null, t.Object.Language);
                            }
                            else if (t.Object.Datatype is not null)
                            {
                                w.WriteAttributeString("rdf", "datatype", Expand("rdf:"), t.Object.Datatype);
                            }

                            w.WriteString(XmlSafe(t.Object.Value));
                            break;
                    }

                    w.WriteEndElement();
                }

                w.WriteEndElement();
            }

            w.WriteEndElement();
        }

        return "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n" + sb;
    }

    private static (string Ns, string Local) Split(string iri)
    {
        var cut = Math.Max(iri.LastIndexOf('#'), iri.LastIndexOf('/')) + 1;
        return (iri[..cut], iri[cut..]);
    }

    /// <summary>Drops characters XML 1.0 cannot carry (C0 controls other than tab/newline, lone surrogates, U+FFFE/FFFF).</summary>
    public static string XmlSafe(string s)
    {
        if (s.All(XmlConvert.IsXmlChar))
        {
            return s;
        }

        var sb = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            if (XmlConvert.IsXmlChar(s[i]))
            {
                sb.Append(s[i]);
            }
            else if (i + 1 < s.Length && XmlConvert.IsXmlSurrogatePair(s[i + 1], s[i]))
            {
                sb.Append(s[i]).Append(s[i + 1]);
                i++;
            }
        }

        return sb.ToString();
    }

    // ---- JSON-LD ----
    public string ToJsonLd()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteStartObject("@context");
            foreach (var (prefix, ns) in Namespaces)
            {
                w.WriteString(prefix, ns);
            }

            w.WriteEndObject();
            w.WriteStartArray("@graph");
            foreach (var group in BySubject())
            {
                w.WriteStartObject();
                w.WriteString("@id", group.Key.Kind == RdfTermKind.Blank ? "_:" + group.Key.Value : group.Key.Value);
                var types = group.Where(t => t.Predicate == RdfType).Select(t => t.Object.Value).ToList();
                if (types.Count > 0)
                {
                    w.WriteStartArray("@type");
                    types.ForEach(t => w.WriteStringValue(TurtlePredicate(t)));
                    w.WriteEndArray();
                }

                foreach (var pred in group.Where(t => t.Predicate != RdfType).GroupBy(t => t.Predicate))
                {
                    var name = TurtlePredicate(pred.Key);
                    w.WriteStartArray(name.StartsWith('<') ? pred.Key : name);
                    foreach (var t in pred)
                    {
                        w.WriteStartObject();
                        switch (t.Object.Kind)
                        {
                            case RdfTermKind.Iri: w.WriteString("@id", t.Object.Value); break;
                            case RdfTermKind.Blank: w.WriteString("@id", "_:" + t.Object.Value); break;
                            default:
                                w.WriteString("@value", t.Object.Value);
                                if (t.Object.Language is not null)
                                {
                                    w.WriteString("@language", t.Object.Language);
                                }
                                else if (t.Object.Datatype is not null)
                                {
                                    w.WriteString("@type", t.Object.Datatype);
                                }

                                break;
                        }

                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
