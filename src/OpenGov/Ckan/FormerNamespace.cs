// The CKAN action room moved from OpenGov.Catalog.Ckan to OpenGov.Ckan. Until every branch that still writes
// "using OpenGov.Catalog.Ckan;" (DataStore, Hosting) is merged, this keeps them compiling unchanged. When merged:
//   grep -rl 'using OpenGov.Catalog.Ckan;' src tests | xargs sed -i 's/using OpenGov.Catalog.Ckan;/using OpenGov.Ckan;/'
// then delete this file.
global using OpenGov.Ckan;

namespace OpenGov.Catalog.Ckan;

/// <summary>Keeps the former namespace declared while other branches still import it (see the file's header).</summary>
internal static class FormerNamespace;
