using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Options;
using OpenGov.Accounts;
using OpenGov.Catalog;
using OpenGov.Ckan;
using OpenGov.Council;
using OpenGov.Dashboards;
using OpenGov.DataStore;
using OpenGov.Events;
using OpenGov.Harvest;
using OpenGov.Notifications;
using OpenGov.ResourceViews;
using OpenGov.Shared;
using OpenGov.Showcases;
using OpenGov.Storage;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace OpenGov.Hosting;

/// <summary>Builds the web host: services of every feature, then their endpoints and pages.</summary>
public static class OpenGovApp
{
    public static readonly CultureInfo[] Cultures = [new("ja-JP"), new("en")];

    /// <summary>Fills in what the "OpenGov" section leaves to flags and well-known variables.</summary>
    private static void Complete(OpenGovOptions o, ConfigurationManager config, HostArguments host)
    {
        o.DataDirectory = Path.GetFullPath(config["data"] ?? config["OPENGOV_DATA"] ?? config["OpenGov:DataDirectory"] ?? o.DataDirectory);
        o.Demo |= host.Demo;
        o.BootstrapAdminToken ??= config["OPENGOV_BOOTSTRAP_ADMIN_TOKEN"];
        o.Redis ??= config.GetConnectionString("Redis");
    }

    /// <summary>
    /// The app's own files (appsettings.json, wwwroot, DemoData) are beside the executable, wherever it is started
    /// from; only the data directory is relative to the current directory (`dotnet run` keeps the caller's, see
    /// RunWorkingDirectory in OpenGov.csproj). --contentRoot still overrides.
    /// </summary>
    private static string? ContentRoot(string[] args) =>
        args.Any(a => a.StartsWith("--contentRoot", StringComparison.OrdinalIgnoreCase)) ? null : AppContext.BaseDirectory;

    public static WebApplication Build(string[] args, HostArguments host)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = ContentRoot(args) });
        var config = builder.Configuration;

        // a build (dotnet run) serves wwwroot from the project through the build's manifest; a publish has no
        // manifest and its own wwwroot
        builder.WebHost.UseStaticWebAssets();

        builder.Services.AddOptions<OpenGovOptions>()
            .Bind(config.GetSection("OpenGov"))
            .Configure(o => Complete(o, config, host));

        // The same settings, read once more before the container exists: storage and Kestrel need them now.
        var options = new OpenGovOptions();
        config.GetSection("OpenGov").Bind(options);
        Complete(options, config, host);
        var storage = StorageSetup.Resolve(config, options);

        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = options.MaxUploadBytes + (1024 * 1024);
            if (options.EscapeRawRequestLines)
            {
                k.ConfigureEndpointDefaults(RequestLineEscaping.Use); // raw UTF-8 in a request line is answered, not refused
            }
        });

        var services = builder.Services;
        services.AddOpenGovStorage(storage);
        services.AddSharedKeys();
        services.AddSingleton<RedisConnection>();
        services.AddProblemDetails();
        services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
            o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        services.AddOpenApi();
        services.AddLocalization();
        services.AddRazorPages(o => o.RootDirectory = "/")
            .AddViewLocalization()
            .AddDataAnnotationsLocalization();
        services.AddResponseCompression(o => CompressOnceForTheCache.Configure(o, forTheCache: false));
        services.Configure<RequestLocalizationOptions>(o =>
        {
            o.DefaultRequestCulture = new RequestCulture(Cultures[0]);
            o.SupportedCultures = Cultures;
            o.SupportedUICultures = Cultures;
            o.RequestCultureProviders =
            [
                new QueryStringRequestCultureProvider { QueryStringKey = "lang", UIQueryStringKey = "lang" },
                new CookieRequestCultureProvider(),
            ];
        });
        services.AddSingleton<StorageSpace>();
        services.AddHealthChecks().AddDbContextCheck<OpenGovDb>("storage").AddCheck<StorageSpace>("disk");
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = async (ctx, ct) =>
            {
                if (ctx.HttpContext.Request.Path.StartsWithSegments("/api"))
                {
                    var help = CkanApi.SiteUrl(ctx.HttpContext) + "/api/3/action/help_show";
                    await CkanApi.Error(help, new CkanException(429, "Rate Limit Error", "Too many requests: please slow down and retry."))
                        .ExecuteAsync(ctx.HttpContext);
                }
            };
            o.AddPolicy(CkanActionMapper.WriteRateLimit, ctx => RateLimitPartition.GetTokenBucketLimiter(
                ctx.User.Identity?.Name ?? ctx.Connection.RemoteIpAddress?.ToString() ?? "anon",
                _ =>
                {
                    var perSecond = Math.Max(1, ctx.RequestServices.GetRequiredService<IOptions<OpenGovOptions>>().Value.WritesPerSecond);
                    return new TokenBucketRateLimiterOptions { TokenLimit = 2 * perSecond, TokensPerPeriod = perSecond, ReplenishmentPeriod = TimeSpan.FromSeconds(1), QueueLimit = 0 };
                }));
        });
        services.AddOpenTelemetry()
            .WithTracing(t => t.AddAspNetCoreInstrumentation())
            .WithMetrics(m => m.AddAspNetCoreInstrumentation());
        if (!string.IsNullOrEmpty(config["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            services.AddOpenTelemetry().UseOtlpExporter();
        }

        services.AddOutputCache(o =>
        {
            o.SizeLimit = 256L * 1024 * 1024;
            o.MaximumBodySize = 8 * 1024 * 1024;
            o.AddPolicy(CatalogReadCachePolicy.Name, new CatalogReadCachePolicy());
        });
        services.AddSingleton<StartupGate>();
        services.AddHostedService<StartupTasks>();
        services.AddAccounts();
        services.AddCatalog();
        services.AddNotifications();
        services.AddDataStore(options);
        services.AddEvents(options);
        services.AddCouncil();
        services.AddDashboards();
        services.AddShowcases();
        services.AddResourceViews();
        services.AddHarvest(config);

        var app = builder.Build();

        // nothing is served before migrations and the bootstrap sysadmin are done (they run while the pipeline builds)
        app.Use(app.Services.GetRequiredService<StartupGate>().InvokeAsync);
        app.UseTrustedProxies(options.ForwardedHeaders);
        app.UseRequestLocalization();
        app.UseSecurityHeaders();
        app.UseErrorPages();
        app.UseResponseCompression();
        app.UseStaticFiles();
        app.UseCkanLegacyPrefixes();
        app.UseNulGuard();
        app.UseCrossSiteWriteGuard();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseOutputCache();
        // a second compression inside the output cache, for the answers it will store: they are kept compressed (one
        // entry per coding, OutputCacheRules), so a hit is copied, not compressed again; the outer one above sees the
        // Content-Encoding already set and leaves those alone, and compresses static files and every other answer
        app.UseCompressOnceForTheCache();
        app.UseAntiforgery();

        app.MapHealthChecks("/healthz");
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapRazorPages();
        app.MapLanguageSwitch();
        app.MapQuestionCodeForm();
        app.MapCatalog();
        app.MapDataStore();
        app.MapEvents();
        app.MapCouncil();
        app.MapDashboards();
        app.MapShowcases();
        app.MapResourceViews();
        app.MapHarvest();
        app.MapCkanHelp();
        app.MapCkanUtilApi();
        app.MapCkanFallback();

        return app;
    }
}
