using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenGov.Shared;

/// <summary>
/// Parses JSON that came from a request (a body, or a parameter holding JSON text). A name repeated inside one object
/// is a parse error (a <see cref="JsonException"/> the callers turn into CKAN's 400 or a validation error), not a
/// dictionary that throws later when it is first read; nesting deeper than 64 levels is refused the same way.
/// </summary>
public static class RequestJson
{
    public static readonly JsonDocumentOptions Options = new() { MaxDepth = 64, AllowDuplicateProperties = false };

    public static JsonNode? Parse(string text) => JsonNode.Parse(text, documentOptions: Options);

    /// <summary>Whether JSON text holds the escape \u0000 (a raw NUL is already a syntax error); "\\u0000" is not one.</summary>
    public static bool ContainsEscapedNul(ReadOnlySpan<char> json)
    {
        for (var start = 0; json[start..].IndexOf("u0000", StringComparison.Ordinal) is var found and >= 0; start += found + 5)
        {
            var slashes = 0;
            for (var j = start + found - 1; j >= 0 && json[j] == '\\'; j--)
            {
                slashes++;
            }

            if (slashes % 2 == 1)
            {
                return true;
            }
        }

        return false;
    }
}
