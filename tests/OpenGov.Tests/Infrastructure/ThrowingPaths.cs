using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace OpenGov.Tests.Infrastructure;

/// <summary>
/// A test host's server error on demand: <see cref="Page"/> and <see cref="Api"/> throw. The throwing middleware is
/// added after the whole app (its routing, endpoints and error handling), so it runs only for a path no endpoint took
/// and the exception goes back up through the app's own error handling, as a bug in a page or action would.
/// Registered only through <c>TestApp.StartAsync(testServices: ThrowingPaths.Add)</c>; production code has no such path.
/// </summary>
public sealed class ThrowingPaths : IStartupFilter
{
    public const string Page = "/test-only/throw";
    public const string Api = "/api/test-only/throw";

    public static void Add(IServiceCollection services) =>
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStartupFilter, ThrowingPaths>());

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        next(app);
        app.Use((HttpContext ctx, RequestDelegate rest) =>
            ctx.Request.Path.Equals(Page, StringComparison.Ordinal) || ctx.Request.Path.Equals(Api, StringComparison.Ordinal)
                ? throw new InvalidOperationException("forced by the test host (ThrowingPaths)")
                : rest(ctx));
    };
}
