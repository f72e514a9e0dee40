using System.Buffers;
using Microsoft.Extensions.Primitives;

namespace OpenGov.Shared;

/// <summary>
/// Refuses, before any handler runs, a request whose query string, form fields or JSON body carry the character
/// U+0000: PostgreSQL text cannot hold it (the statement would fail with a server error), SQLite would keep it
/// silently, and no page, question or dataset means it. The CKAN Action API checks the same in its own request
/// reader, to answer in CKAN's error envelope.
/// </summary>
public static class NulGuard
{
    /// <summary>
    /// Bodies are checked when they declare a length up to this: every question, vote, setting and page form. A larger
    /// body (a file upload through a publisher's page) is left to its endpoint, whose own limits and messages apply.
    /// </summary>
    private const long MaxCheckedBytes = 1024 * 1024;

    public static IApplicationBuilder UseNulGuard(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var bad = context.Request.Path.StartsWithSegments("/api/3/action") ? null : await BadTextAsync(context.Request);
        if (bad is null)
        {
            await next(context);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        if (context.Request.Path.Value?.Contains("/api/", StringComparison.Ordinal) == true)
        {
            await context.Response.WriteAsJsonAsync(bad == "nul"
                ? new
                {
                    error = "invalid",
                    message = "Text must not contain the character U+0000 (NUL).",
                    message_ja = "文字 U+0000（NUL）を含む入力は受け付けられません。",
                }
                : new
                {
                    error = "invalid",
                    message = "The JSON text holds an unpaired surrogate escape (such as \\ud800 alone): not a character.",
                    message_ja = "JSON に対になっていないサロゲート（\\ud800 など）が含まれています。文字として読めません。",
                });
        }
    });

    public static bool HasNul(IEnumerable<KeyValuePair<string, StringValues>> pairs)
    {
        foreach (var (key, values) in pairs)
        {
            if (key.Contains('\0', StringComparison.Ordinal))
            {
                return true;
            }

            foreach (var value in values)
            {
                if (value?.Contains('\0', StringComparison.Ordinal) == true)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>"nul", "surrogate" or null (nothing wrong).</summary>
    private static async Task<string?> BadTextAsync(HttpRequest request)
    {
        if (HasNul(request.Query))
        {
            return "nul";
        }

        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || request.ContentLength is 0 or > MaxCheckedBytes)
        {
            return null;
        }

        if (request.HasFormContentType && request.ContentLength is not null)
        {
            try
            {
                // model binding reads the same parsed form afterwards
                return HasNul(await request.ReadFormAsync(request.HttpContext.RequestAborted)) ? "nul" : null;
            }
            catch (Exception e) when (e is InvalidDataException or IOException or BadHttpRequestException)
            {
                return null; // a malformed form is the endpoint's to refuse, with its own message
            }
        }

        if (request.HasJsonContentType())
        {
            // a body sent without a length (chunked) is read up to the same size, then left alone if longer
            request.EnableBuffering();
            using var reader = new StreamReader(request.Body, leaveOpen: true);
            var limit = (int)(request.ContentLength ?? MaxCheckedBytes + 1); // UTF-8 never has more characters than bytes
            var buffer = ArrayPool<char>.Shared.Rent(limit + 1);
            try
            {
                var read = 0;
                for (int n; read <= limit && (n = await reader.ReadAsync(buffer.AsMemory(read, limit + 1 - read), request.HttpContext.RequestAborted)) > 0;)
                {
                    read += n;
                }

                request.Body.Position = 0;
                return read > MaxCheckedBytes ? null
                    : RequestJson.ContainsEscapedNul(buffer.AsSpan(0, read)) ? "nul"
                    : RequestJson.ContainsLoneSurrogate(buffer.AsSpan(0, read)) ? "surrogate"
                    : null;
            }
            finally
            {
                ArrayPool<char>.Shared.Return(buffer);
            }
        }

        return null;
    }
}
