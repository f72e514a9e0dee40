using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using OpenGov.Catalog.Search;

namespace OpenGov.Harvest.Dcat;

/// <summary>
/// Reads RDF/XML (W3C RDF 1.1 XML Syntax) into triples: node elements (rdf:Description or typed) with rdf:about,
/// rdf:ID or rdf:nodeID, property attributes, property elements with rdf:resource, rdf:nodeID, a nested node,
/// rdf:parseType Resource, Literal and Collection, text with xml:lang or rdf:datatype, and xml:base. No DTD is
/// processed (an entity bomb is refused, not expanded).
/// </summary>
public static class RdfXmlReader
{
    private const string Rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
    private static readonly XNamespace R = Rdf;
    private static readonly XNamespace XmlNs = XNamespace.Xml;

    public static List<RdfTriple> Read(string text, Uri? baseUri = null)
    {
        XDocument doc;
        try
        {
            using var reader = XmlReader.Create(new StringReader(text), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            doc = XDocument.Load(reader, LoadOptions.SetLineInfo);
        }
        catch (XmlException e)
        {
            throw new RdfParseException("RDF/XML: " + e.Message);
        }

        var state = new State();
        var root = doc.Root ?? throw new RdfParseException("RDF/XML: empty document");
        var b = Base(root, baseUri);
        if (root.Name == R + "RDF")
        {
            foreach (var node in root.Elements())
            {
                NodeElement(node, Base(node, b), state);
            }
        }
        else
        {
            NodeElement(root, b, state);
        }

        return state.Triples;
    }

    private sealed class State
    {
        public List<RdfTriple> Triples { get; } = [];
        public int Blank { get; set; }

        public RdfTerm NewBlank() => RdfTerm.Blank("x" + (Blank++).ToString(CultureInfo.InvariantCulture));
    }

    private static Uri? Base(XElement e, Uri? inherited)
    {
        var b = (string?)e.Attribute(XmlNs + "base");
        return b is null ? inherited : Uri.TryCreate(inherited, b, out var u) ? u : Uri.TryCreate(b, UriKind.Absolute, out var a) ? a : inherited;
    }

    private static string Resolve(string iri, Uri? b) =>
        Uri.TryCreate(iri, UriKind.Absolute, out _) || b is null ? iri : Uri.TryCreate(b, iri, out var u) ? u.ToString() : iri;

    private static string Lang(XElement e) =>
        e.AncestorsAndSelf().Select(a => (string?)a.Attribute(XmlNs + "lang")).FirstOrDefault(l => l is not null) ?? "";

    private static RdfTerm NodeElement(XElement e, Uri? b, State s)
    {
        RdfTerm subject = e.Attribute(R + "about") is { } about ? RdfTerm.Iri(Resolve(about.Value, b))
            : e.Attribute(R + "ID") is { } id ? RdfTerm.Iri(Resolve("#" + id.Value, b))
            : e.Attribute(R + "nodeID") is { } nodeId ? RdfTerm.Blank("n" + nodeId.Value)
            : s.NewBlank();
        if (e.Name != R + "Description")
        {
            s.Triples.Add(new RdfTriple(subject, RdfGraph.RdfType, RdfTerm.Iri(e.Name.NamespaceName + e.Name.LocalName)));
        }

        foreach (var a in e.Attributes())
        {
            if (a.IsNamespaceDeclaration || a.Name.Namespace == XmlNs || a.Name.Namespace == XNamespace.None
                || a.Name == R + "about" || a.Name == R + "ID" || a.Name == R + "nodeID")
            {
                continue;
            }

            var lang = Lang(e);
            s.Triples.Add(a.Name == R + "type"
                ? new RdfTriple(subject, RdfGraph.RdfType, RdfTerm.Iri(Resolve(a.Value, b)))
                : new RdfTriple(subject, a.Name.NamespaceName + a.Name.LocalName, RdfTerm.Literal(a.Value, language: lang.Length > 0 ? lang.ToLowerInvariant() : null)));
        }

        var li = 1;
        foreach (var p in e.Elements())
        {
            var predicate = p.Name == R + "li" ? Rdf + "_" + (li++).ToString(CultureInfo.InvariantCulture) : p.Name.NamespaceName + p.Name.LocalName;
            PropertyElement(subject, predicate, p, Base(p, b), s);
        }

        return subject;
    }

    private static void PropertyElement(RdfTerm subject, string predicate, XElement p, Uri? b, State s)
    {
        var parseType = (string?)p.Attribute(R + "parseType");
        if (parseType == "Resource")
        {
            var node = s.NewBlank();
            s.Triples.Add(new RdfTriple(subject, predicate, node));
            foreach (var child in p.Elements())
            {
                PropertyElement(node, child.Name.NamespaceName + child.Name.LocalName, child, Base(child, b), s);
            }

            return;
        }

        if (parseType == "Literal")
        {
            var xml = string.Concat(p.Nodes().Select(n => n.ToString(SaveOptions.DisableFormatting)));
            s.Triples.Add(new RdfTriple(subject, predicate, RdfTerm.Literal(xml, Rdf + "XMLLiteral")));
            return;
        }

        if (parseType == "Collection")
        {
            RdfTerm list = RdfTerm.Iri(Rdf + "nil");
            foreach (var item in p.Elements().Reverse())
            {
                var cell = s.NewBlank();
                s.Triples.Add(new RdfTriple(cell, Rdf + "first", NodeElement(item, Base(item, b), s)));
                s.Triples.Add(new RdfTriple(cell, Rdf + "rest", list));
                list = cell;
            }

            s.Triples.Add(new RdfTriple(subject, predicate, list));
            return;
        }

        if (p.Elements().FirstOrDefault() is { } nested)
        {
            s.Triples.Add(new RdfTriple(subject, predicate, NodeElement(nested, Base(nested, b), s)));
            return;
        }

        if (p.Attribute(R + "resource") is { } resource)
        {
            s.Triples.Add(new RdfTriple(subject, predicate, RdfTerm.Iri(Resolve(resource.Value, b))));
            return;
        }

        if (p.Attribute(R + "nodeID") is { } nodeId)
        {
            s.Triples.Add(new RdfTriple(subject, predicate, RdfTerm.Blank("n" + nodeId.Value)));
            return;
        }

        var datatype = (string?)p.Attribute(R + "datatype");
        var lang = Lang(p);
        s.Triples.Add(new RdfTriple(subject, predicate, datatype is not null
            ? RdfTerm.Literal(p.Value, Resolve(datatype, b))
            : RdfTerm.Literal(p.Value, language: lang.Length > 0 ? lang.ToLowerInvariant() : null)));
    }
}
