namespace OpenGov.Events.Moderation;

/// <summary>
/// The authorisation of a moderator route group (a prefix with {slug}): the event must exist (404), the caller be
/// signed in (401) and a moderator of it (403). The handlers then take the event from <see cref="ModeratorFilter.EventOf"/>.
/// </summary>
public sealed class ModeratorFilter : IEndpointFilter
{
    private const string ItemKey = "opengov.moderated-event";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var services = http.RequestServices;
        var ev = await services.GetRequiredService<EventQueries>().RequireBySlugAsync(http.GetRouteValue("slug") as string ?? "", http.RequestAborted);
        await services.GetRequiredService<EventAuthorization>().RequireModeratorAsync(ev, http.RequestAborted);
        http.Items[ItemKey] = ev;
        return await next(context);
    }

    /// <summary>The event the filter let through.</summary>
    public static Event EventOf(HttpContext http) =>
        http.Items[ItemKey] as Event ?? throw new InvalidOperationException("The endpoint is not in a moderator route group.");
}
