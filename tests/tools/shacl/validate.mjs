// Validates RDF documents against a set of SHACL shapes with rdf-validate-shacl and prints the reports as JSON.
//
//   node validate.mjs --shapes DIR [--vocabularies DIR] [--base IRI] DATA_FILE...
//
// Every *.ttl under --shapes is loaded into the shapes graph. Every *.ttl under --vocabularies is added to each data
// graph, as the EU ITB DCAT-AP validator adds the shapes' imports ("background knowledge": codelists, class axioms).
// Each DATA_FILE is read by its extension (.ttl Turtle, .rdf RDF/XML, .jsonld JSON-LD) and validated on its own.
// Prints {"importsNotLoaded": [...], "files": [{"file", "conforms", "triples", "counts": {"Violation", "Warning",
// "Info"}, "results": [...]}]} on stdout; exits 0 when every validation ran (whatever its outcome), 2 when an input
// could not be read or parsed.
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { extname, join } from 'node:path'
import rdf from '@zazuko/env'
import SHACLValidator from 'rdf-validate-shacl'
import { Parser as TurtleParser } from 'n3'
import { RdfXmlParser } from 'rdfxml-streaming-parser'
import { JsonLdParser } from 'jsonld-streaming-parser'

const formats = { '.ttl': 'text/turtle', '.rdf': 'application/rdf+xml', '.jsonld': 'application/ld+json' }

function args (argv) {
  const opts = { base: 'http://localhost/', data: [] }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a.startsWith('--')) {
      opts[a.slice(2)] = argv[++i]
    } else {
      opts.data.push(a)
    }
  }

  if (!opts.shapes || opts.data.length === 0) {
    throw new Error('usage: node validate.mjs --shapes DIR [--vocabularies DIR] [--base IRI] DATA_FILE...')
  }

  return opts
}

function turtleFiles (dir) {
  return readdirSync(dir).sort().flatMap(name => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) {
      return turtleFiles(path)
    }

    return name.endsWith('.ttl') ? [path] : []
  })
}

function streamQuads (parser, text) {
  return new Promise((resolve, reject) => {
    const quads = []
    parser.on('data', q => quads.push(q))
    parser.on('error', reject)
    parser.on('end', () => resolve(quads))
    parser.write(text)
    parser.end()
  })
}

async function parse (text, format, base) {
  switch (format) {
    case 'text/turtle':
      return new TurtleParser({ baseIRI: base, factory: rdf }).parse(text)
    case 'application/rdf+xml':
      return streamQuads(new RdfXmlParser({ baseIRI: base, dataFactory: rdf }), text)
    case 'application/ld+json':
      // no remote contexts: a document that needs one fails here rather than reaching the network
      return streamQuads(new JsonLdParser({
        baseIRI: base,
        dataFactory: rdf,
        strictValues: true,
        documentLoader: { load: async url => { throw new Error(`remote JSON-LD context not allowed: ${url}`) } },
      }), text)
    default:
      throw new Error(`unknown format ${format}`)
  }
}

function term (t) {
  if (!t) {
    return null
  }

  if (t.termType === 'Literal') {
    return { literal: t.value, datatype: t.datatype?.value, language: t.language || undefined }
  }

  return t.termType === 'BlankNode' ? '_:' + t.value : t.value
}

async function main () {
  const opts = args(process.argv.slice(2))
  const shapes = rdf.dataset()
  for (const file of turtleFiles(opts.shapes)) {
    shapes.addAll(await parse(readFileSync(file, 'utf8'), 'text/turtle', 'file://' + file))
  }

  const vocabularies = []
  for (const file of opts.vocabularies ? turtleFiles(opts.vocabularies) : []) {
    vocabularies.push(...await parse(readFileSync(file, 'utf8'), 'text/turtle', 'file://' + file))
  }

  // owl:imports in the shapes (DCAT-AP 3's deprecateduris.ttl imports the ADMS code lists for adms:status) are not
  // fetched: the validator never reaches the network. Each one is named in the report; shapes/README.md says why
  // none of them matters for what OpenGov writes.
  const importsNotLoaded = new Set()
  const importGraph = url => {
    importsNotLoaded.add(url.value)
    return rdf.dataset()
  }

  const validator = new SHACLValidator(shapes, { factory: rdf, importGraph })
  const files = []
  for (const file of opts.data) {
    const format = formats[extname(file)]
    if (!format) {
      throw new Error(`${file}: unknown extension (expected ${Object.keys(formats).join(', ')})`)
    }

    const document = await parse(readFileSync(file, 'utf8'), format, opts.base)
    if (document.length === 0) {
      throw new Error(`${file} holds no triples`)
    }

    const data = rdf.dataset()
    data.addAll(vocabularies)
    data.addAll(document)
    const report = await validator.validate(data)
    const counts = { Violation: 0, Warning: 0, Info: 0 }
    const results = report.results.map(r => {
      const severity = r.severity?.value.replace('http://www.w3.org/ns/shacl#', '')
      counts[severity] = (counts[severity] ?? 0) + 1
      return {
        severity,
        focusNode: term(r.focusNode),
        path: term(r.path),
        value: term(r.value),
        message: r.message.map(m => m.value),
        sourceConstraintComponent: r.sourceConstraintComponent?.value.replace('http://www.w3.org/ns/shacl#', 'sh:'),
        sourceShape: term(r.sourceShape),
      }
    })
    files.push({ file, conforms: report.conforms, triples: document.length, counts, results })
  }

  process.stdout.write(JSON.stringify({ importsNotLoaded: [...importsNotLoaded], files }, null, 2) + '\n')
}

main().catch(e => {
  process.stderr.write(`validate.mjs: ${e.stack ?? e}\n`)
  process.exit(2)
})
