using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;

namespace OpenGov.Ckan;

/// <summary>
/// help_show (the page every answer's "help" points at: the action's documentation, here its summary) and CKAN's
/// version answers: GET /api and /api/{1,2,3} answer {"version": N}, as CKAN's api controller does.
/// </summary>
public static class CkanHelp
{
    public static void MapCkanHelp(this IEndpointRouteBuilder app)
    {
        app.MapCkanActions("CKAN", api => api.Read("help_show", api.Group.MapMethods("/help_show", CkanActionMapper.ReadMethods, HelpShow), "The documentation of an action (name)."));
        app.MapGet("/api", () => TypedResults.Json(new ApiVersion(1), CkanApi.Json)).ExcludeFromDescription();
        app.MapGet("/api/{ver:int:range(1,3)}", (int ver) => TypedResults.Json(new ApiVersion(ver), CkanApi.Json)).ExcludeFromDescription();
    }

    /// <summary>CKAN's answer to GET /api/{ver}.</summary>
    public sealed record ApiVersion(int Version);

    private static JsonHttpResult<CkanEnvelope<string>> HelpShow(CkanRequest req, EndpointDataSource endpoints)
    {
        var name = req.RequiredString("name");
        var endpoint = endpoints.Endpoints.OfType<RouteEndpoint>()
            .FirstOrDefault(e => e.RoutePattern.RawText?.TrimStart('/') is { } raw && raw.EndsWith("/" + name, StringComparison.Ordinal)
                && raw.StartsWith(CkanApi.Prefix.TrimStart('/'), StringComparison.Ordinal))
            ?? throw CkanException.NotFound("Action function not found");
        var summary = endpoint.Metadata.GetMetadata<IEndpointSummaryMetadata>()?.Summary ?? "";
        return CkanApi.Ok(req, $"{name}\n\n{summary}\n\nParameters and answers follow CKAN's Action API: https://docs.ckan.org/en/2.10/api/#ckan.logic.action.get.{name}");
    }
}
