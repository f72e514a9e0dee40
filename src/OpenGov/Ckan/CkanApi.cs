using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Rewrite;
using Microsoft.Extensions.Options;
using OpenGov.Hosting;

namespace OpenGov.Ckan;

/// <summary>CKAN's response envelope.</summary>
public sealed record CkanEnvelope<T>(
    [property: JsonPropertyName("help")] string Help,
    [property: JsonPropertyName("success")] bool Success,
    [property: JsonPropertyName("result")] T Result);

/// <summary>CKAN's error envelope: error holds "__type", "message" and, for validation errors, field → messages.</summary>
public sealed record CkanErrorEnvelope(
    [property: JsonPropertyName("help")] string Help,
    [property: JsonPropertyName("success")] bool Success,
    [property: JsonPropertyName("error")] Dictionary<string, object> Error);

/// <summary>
/// The CKAN Action API surface: /api/3/action/{name} and /api/action/{name}, and, as CKAN also answers them,
/// /api/1/action and /api/2/action (ckanext-harvest's CKAN harvester calls version 2). Each feature maps its own actions
/// with <see cref="MapCkanActions"/>; read actions answer GET and POST, write actions POST only. The actions are mapped
/// once, under /api/3/action: <see cref="UseCkanLegacyPrefixes"/> rewrites the other prefixes to it before routing.
/// </summary>
public static class CkanApi
{
    /// <summary>Where the actions are mapped.</summary>
    public const string Prefix = "/api/3/action";

    /// <summary>The prefixes CKAN answers as well as /api/3/action, for the same actions.</summary>
    public static readonly PathString[] LegacyPrefixes = ["/api/action", "/api/1/action", "/api/2/action"];

    /// <summary>Names of write actions (the same in every host of the process; hosts may start concurrently, as in tests).</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> WriteActions = new(StringComparer.Ordinal);

    /// <summary>Every write action mapped so far (the registry the CSRF tests walk).</summary>
    public static IReadOnlyCollection<string> WriteActionNames => [.. WriteActions.Keys];

    /// <summary>JSON as CKAN writes it: snake_case keys, nulls kept, Japanese unescaped.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static string SiteUrl(HttpContext context)
    {
        var configured = context.RequestServices.GetService<IOptions<OpenGovOptions>>()?.Value.SiteUrl;
        return !string.IsNullOrEmpty(configured)
            ? configured.TrimEnd('/')
            : context.Request.Scheme + "://" + context.Request.Host.Value + context.Request.PathBase.Value;
    }

    public static JsonHttpResult<CkanEnvelope<T>> Ok<T>(CkanRequest request, T result) =>
        TypedResults.Json(new CkanEnvelope<T>(request.HelpUrl, true, result), Json);

    public static JsonHttpResult<CkanErrorEnvelope> Error(string help, CkanException e)
    {
        var error = new Dictionary<string, object> { ["__type"] = e.Type };
        if (e.Fields is not null)
        {
            foreach (var (k, v) in e.Fields)
            {
                error[k] = v;
            }
        }
        else
        {
            error["message"] = e.Status == 404 && e.Type == "Not Found Error" ? NotFoundMessage(e.Message) : e.Message;
            if (e.MessageJa is { } ja)
            {
                error["message_ja"] = ja;
            }
        }

        return TypedResults.Json(new CkanErrorEnvelope(help, false, error), Json, statusCode: e.Status);
    }

    /// <summary>CKAN's api view answers a NotFound as "Not found", or "Not found: " and the action's message.</summary>
    private static string NotFoundMessage(string message) =>
        message is "" or "Not found" ? "Not found" : message.StartsWith("Not found: ", StringComparison.Ordinal) ? message : "Not found: " + message;

    /// <summary>
    /// Rewrites /api/action/{name}, /api/1/action/{name} and /api/2/action/{name} to /api/3/action/{name} (query string
    /// kept) with the URL rewriting middleware; goes before UseRouting. One set of endpoints instead of one per prefix
    /// keeps the first request's endpoint building (a request delegate per action) a third as long.
    /// </summary>
    public static IApplicationBuilder UseCkanLegacyPrefixes(this IApplicationBuilder app) =>
        app.UseRewriter(new RewriteOptions().Add(context =>
        {
            var request = context.HttpContext.Request;
            foreach (var legacy in LegacyPrefixes)
            {
                if (request.Path.StartsWithSegments(legacy, out var rest) && rest.HasValue)
                {
                    request.Path = Prefix + rest;
                    context.Result = RuleResult.SkipRemainingRules;
                    return;
                }
            }
        }));

    /// <summary>Maps a feature's actions under the API prefix.</summary>
    public static void MapCkanActions(this IEndpointRouteBuilder app, string tag, Action<CkanActionMapper> map)
    {
        var group = app.MapGroup(Prefix)
            .WithTags(tag)
            .AddEndpointFilter<CkanActionFilter>()
            .DisableAntiforgery();
        map(new CkanActionMapper(group, WriteActions));
    }

    /// <summary>Unknown action names, and GET on write actions, answered as CKAN does (400).</summary>
    public static void MapCkanFallback(this IEndpointRouteBuilder app)
    {
        app.MapMethods(Prefix + "/{action}", ["GET", "POST"], (HttpContext ctx, string action) =>
        {
            var help = SiteUrl(ctx) + "/api/3/action/help_show?name=" + Uri.EscapeDataString(action);
            var message = WriteActions.ContainsKey(action) && HttpMethods.IsGet(ctx.Request.Method)
                ? "Bad request - JSON Error: Invalid request. Please use POST method for your request"
                : "Bad request - Action name not known: " + action;
            return Error(help, CkanException.BadRequest(message));
        }).ExcludeFromDescription().DisableAntiforgery();
    }
}

/// <summary>
/// Registers actions on the /api/3/action group. Each feature maps its handler at its own call site
/// (<c>api.Read("package_show", api.Group.MapMethods("/package_show", CkanActionMapper.ReadMethods, PackageShow), ...)</c>)
/// so that the Request Delegate Generator binds it at compile time: a handler passed here as a <see cref="Delegate"/>
/// would be bound by reflection and compiled to IL at every start of the app (about a second of CPU per start).
/// The name given must be the route's last segment, and the verbs those of a read or a write: checked when the
/// endpoints are built, so a mismatch fails the first request of any test.
/// </summary>
public sealed class CkanActionMapper(RouteGroupBuilder group, System.Collections.Concurrent.ConcurrentDictionary<string, bool> writeActions)
{
    /// <summary>The rate-limit policy on every write action (per user, or per address when anonymous).</summary>
    public const string WriteRateLimit = "writes";

    /// <summary>The verbs of a read action (side-effect free): GET and POST.</summary>
    public static readonly string[] ReadMethods = [HttpMethods.Get, HttpMethods.Post];

    public RouteGroupBuilder Group => group;

    /// <summary>A read action (side-effect free): GET and POST.</summary>
    public RouteHandlerBuilder Read(string name, RouteHandlerBuilder endpoint, string summary) =>
        Named(name, endpoint, ReadMethods).WithSummary(summary);

    /// <summary>A write action: POST only; the caller must be authorised inside the handler.</summary>
    public RouteHandlerBuilder Write(string name, RouteHandlerBuilder endpoint, string summary)
    {
        writeActions.TryAdd(name, true);
        return Named(name, endpoint, [HttpMethods.Post]).WithSummary(summary).RequireRateLimiting(WriteRateLimit);
    }

    private static RouteHandlerBuilder Named(string name, RouteHandlerBuilder endpoint, string[] verbs)
    {
        endpoint.Add(b =>
        {
            var pattern = (b as RouteEndpointBuilder)?.RoutePattern.RawText;
            var methods = b.Metadata.OfType<HttpMethodMetadata>().LastOrDefault()?.HttpMethods;
            if (pattern is null || !pattern.EndsWith("/" + name, StringComparison.Ordinal) || methods is null || !methods.Order().SequenceEqual(verbs.Order()))
            {
                throw new InvalidOperationException($"CKAN action {name} is mapped at {pattern} for {string.Join(",", methods ?? [])}: its route must end in /{name} and answer {string.Join(",", verbs)}");
            }
        });
        return endpoint.WithName(name);
    }
}

/// <summary>Turns errors into CKAN's error envelope and rejects unreadable request bodies.</summary>
public sealed class CkanActionFilter(ILogger<CkanActionFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.Arguments.OfType<CkanRequest>().FirstOrDefault();
        var help = request?.HelpUrl ?? CkanApi.SiteUrl(context.HttpContext) + "/api/3/action/help_show";
        if (request is { TooLarge: true })
        {
            // CKAN's message for an upload over ckan.max_resource_size, with HTTP's status for a body too large
            return CkanApi.Error(help, new CkanException(413, "Validation Error", "File upload too large", new Dictionary<string, List<string>> { ["upload"] = ["File upload too large"] }));
        }

        if (request?.ParseError is { } parseError)
        {
            return CkanApi.Error(help, CkanException.BadRequest(parseError));
        }

        try
        {
            return await next(context);
        }
        catch (CkanException e)
        {
            return CkanApi.Error(help, e);
        }
        catch (OperationCanceledException) when (context.HttpContext.RequestAborted.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (Hosting.StorageSpace.IsDiskFull(e))
        {
            logger.LogError(e, "Action {Action} ran out of disk space", request?.Action);
            return CkanApi.Error(help, new Hosting.StorageFullException());
        }
        catch (Exception e)
        {
            logger.LogError(e, "Action {Action} failed", request?.Action);
            return CkanApi.Error(help, new CkanException(500, "Internal Server Error", "Internal Server Error"));
        }
    }
}
