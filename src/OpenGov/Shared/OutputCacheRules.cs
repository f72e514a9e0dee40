using System.Globalization;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.Primitives;

namespace OpenGov.Shared;

/// <summary>
/// What the site's output-cache policies (the catalog's read actions, the dashboards) share: who may be served from
/// the cache, what an answer varies by besides the policy's own stamp, and which answers may be stored.
/// </summary>
public static class OutputCacheRules
{
    /// <summary>A GET or HEAD with no login and no Authorization header: the same answer for every such reader.</summary>
    public static bool IsAnonymousRead(HttpContext http) =>
        (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method))
        && StringValues.IsNullOrEmpty(http.Request.Headers.Authorization)
        && http.User.Identity?.IsAuthenticated != true;

    /// <summary>
    /// Varies by the whole query string, the host, scheme and path base (links in the answer), the reader's language,
    /// and the content coding the reader accepts: answers are stored compressed (the response compression that runs
    /// inside the output cache), one entry per coding (br, gzip or none), so a hit costs no compression and a reader
    /// never gets a coding it did not ask for.
    /// </summary>
    public static void VaryBySiteAndLanguage(OutputCacheContext context)
    {
        var request = context.HttpContext.Request;
        var compression = context.HttpContext.RequestServices.GetRequiredService<IResponseCompressionProvider>();
        var coding = compression.CheckRequestAcceptsCompression(context.HttpContext)
            ? compression.GetCompressionProvider(context.HttpContext)?.EncodingName ?? "identity"
            : "identity";
        var rules = context.CacheVaryByRules;
        rules.QueryKeys = "*";
        rules.VaryByHost = true;
        rules.VaryByValues["site"] = request.Scheme + "|" + request.PathBase.Value;
        rules.VaryByValues["lang"] = CultureInfo.CurrentUICulture.Name;
        rules.VaryByValues["coding"] = coding;
    }

    /// <summary>Stores only a 200 that sets no cookie (an error or a per-reader answer is never replayed).</summary>
    public static ValueTask StoreOnlyOkWithoutCookies(OutputCacheContext context)
    {
        var response = context.HttpContext.Response;
        if (response.StatusCode != StatusCodes.Status200OK || !StringValues.IsNullOrEmpty(response.Headers.SetCookie))
        {
            context.AllowCacheStorage = false;
        }

        return ValueTask.CompletedTask;
    }
}
