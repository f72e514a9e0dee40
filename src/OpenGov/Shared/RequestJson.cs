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

    /// <summary>
    /// Whether JSON text holds an escaped lone surrogate (\ud800 without its low half, or a low half alone): no text
    /// means it, System.Text.Json would throw a non-JSON exception reading it as a string, and PostgreSQL refuses it.
    /// </summary>
    public static bool ContainsLoneSurrogate(ReadOnlySpan<char> json)
    {
        var expectLow = false;
        for (var i = 0; i < json.Length; i++)
        {
            if (json[i] != '\\')
            {
                if (expectLow)
                {
                    return true;
                }

                continue;
            }

            if (i + 1 >= json.Length)
            {
                break;
            }

            if (json[i + 1] != 'u' || i + 5 >= json.Length || !ushort.TryParse(json.Slice(i + 2, 4), System.Globalization.NumberStyles.AllowHexSpecifier, null, out var code))
            {
                if (expectLow)
                {
                    return true;
                }

                i++; // an escape such as \\ or \n: skip its second character
                continue;
            }

            var c = (char)code;
            if (char.IsHighSurrogate(c))
            {
                if (expectLow)
                {
                    return true;
                }

                expectLow = true;
            }
            else if (char.IsLowSurrogate(c))
            {
                if (!expectLow)
                {
                    return true;
                }

                expectLow = false;
            }
            else if (expectLow)
            {
                return true;
            }

            i += 5;
        }

        return expectLow;
    }
}
