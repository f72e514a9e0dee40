using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace OpenGov.Tests.Infrastructure;

/// <summary>Which database a test runs on. Every storage-touching test runs on both.</summary>
public enum Db
{
    Sqlite,
    Postgres,
}

/// <summary>Supplies each database kind to a theory: <c>[Theory, Databases]</c>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class DatabasesAttribute : Xunit.v3.DataAttribute
{
    public override ValueTask<IReadOnlyCollection<ITheoryDataRow>> GetData(System.Reflection.MethodInfo testMethod, Xunit.Sdk.DisposalTracker disposalTracker) =>
        new([new TheoryDataRow<Db>(Db.Sqlite), new TheoryDataRow<Db>(Db.Postgres)]);

    public override bool SupportsDiscoveryEnumeration() => true;
}

/// <summary>
/// One isolated platform instance per test: its own data directory and its own database (a fresh SQLite file, or a
/// fresh PostgreSQL database on the server named by OPENGOV_TEST_POSTGRES). A bootstrap sysadmin "admin" holds
/// <see cref="AdminToken"/>.
/// </summary>
public sealed class TestApp : WebApplicationFactory<Program>
{
    public const string PostgresVariable = "OPENGOV_TEST_POSTGRES";

    private string _dataDir = Path.Combine(Path.GetTempPath(), "opengov-tests", Guid.NewGuid().ToString("N"));
    private readonly Dictionary<string, string?> _settings = [];
    private Action<IServiceCollection>? _testServices;
    private string? _pgDatabase;
    private string? _pgAdminConnection;

    // Each host would otherwise watch its appsettings files with one inotify instance, and the tests' hosts running
    // side by side reached the machine's 128 instances per user in CI (an IOException from the host's start).
    // File providers that still watch poll instead (DOTNET_USE_POLLING_FILE_WATCHER): no inotify instance at all.
    static TestApp()
    {
        Environment.SetEnvironmentVariable("DOTNET_hostBuilder__reloadConfigOnChange", "false");
        Environment.SetEnvironmentVariable("DOTNET_USE_POLLING_FILE_WATCHER", "true");
    }

    private TestApp(Db db) => Db = db;

    public Db Db { get; }

    public string AdminToken { get; private set; } = "admin-" + Guid.NewGuid().ToString("N");

    /// <summary>When true, disposing leaves the data directory and database for another instance (see <see cref="OpenOnSameDataAsync"/>).</summary>
    public bool KeepData { get; set; }

    /// <summary>
    /// Starts another instance on the same data directory and database as <paramref name="previous"/>: a restart
    /// (after disposing the previous one with <see cref="KeepData"/> set) or a second node (while it runs).
    /// </summary>
    public static Task<TestApp> OpenOnSameDataAsync(TestApp previous, IDictionary<string, string?>? settings = null)
    {
        var app = new TestApp(previous.Db) { _dataDir = previous._dataDir, AdminToken = previous.AdminToken, _pgDatabase = previous._pgDatabase, _pgAdminConnection = previous._pgAdminConnection };
        foreach (var (k, v) in previous._settings.Concat(settings ?? new Dictionary<string, string?>()))
        {
            app._settings[k] = v;
        }

        _ = app.Server;
        return Task.FromResult(app);
    }

    public string DataDirectory => _dataDir;

    /// <summary>Creates and starts an app on the given database; skips the test when PostgreSQL is not configured.</summary>
    /// <param name="kestrel">Serve on a real 127.0.0.1 port (for browsers) instead of the in-memory test server.</param>
    /// <param name="testServices">Services of this test host only (after the app's own), e.g. <see cref="ThrowingPaths"/>.</param>
    public static async Task<TestApp> StartAsync(Db db, IDictionary<string, string?>? settings = null, bool kestrel = false, Action<IServiceCollection>? testServices = null)
    {
        var app = new TestApp(db) { _testServices = testServices };
        if (settings is not null)
        {
            foreach (var (k, v) in settings)
            {
                app._settings[k] = v;
            }
        }

        if (db == Db.Postgres)
        {
            await app.CreatePostgresDatabaseAsync();
        }
        else
        {
            await app.CopySqliteTemplateAsync();
        }

        if (kestrel)
        {
            app.UseKestrel(0);
            app.StartServer();
        }
        else
        {
            _ = app.Server; // start the host: runs migrations and the bootstrap
        }

        return app;
    }

    private async Task CreatePostgresDatabaseAsync()
    {
        var cs = Environment.GetEnvironmentVariable(PostgresVariable);
        if (string.IsNullOrWhiteSpace(cs))
        {
            Assert.Skip($"PostgreSQL not configured: set {PostgresVariable} (e.g. Host=127.0.0.1;Username=postgres;Password=postgres)");
        }

        _pgAdminConnection = cs;
        _pgDatabase = "og_test_" + Guid.NewGuid().ToString("N");
        var template = await PostgresTemplateAsync(cs);
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{_pgDatabase}\" TEMPLATE \"{template}\"", conn);
        await cmd.ExecuteNonQueryAsync();
        _settings["ConnectionStrings:Default"] = TestConnectionString(cs, _pgDatabase);
    }

    // commits need not wait for the disk in tests (a restart of the app still finds them; only a power cut would not)
    private static string TestConnectionString(string cs, string database) =>
        new NpgsqlConnectionStringBuilder(cs) { Database = database, Options = "-c synchronous_commit=off" }.ToString();

    private static readonly SemaphoreSlim TemplateGate = new(1, 1);
    private static string? _pgTemplate;

    /// <summary>
    /// A database migrated once per test process (by a host's own start on an empty database, so the migrations from
    /// nothing are still exercised), which each PostgreSQL test's database is copied from: running every migration
    /// for each test cost about a second of its two. No sysadmin is bootstrapped in it: each copy's host still
    /// creates its own, with its own token. Dropped when the process exits.
    /// </summary>
    private static async Task<string> PostgresTemplateAsync(string cs)
    {
        if (Volatile.Read(ref _pgTemplate) is { } ready)
        {
            return ready;
        }

        await TemplateGate.WaitAsync();
        try
        {
            if (_pgTemplate is not null)
            {
                return _pgTemplate;
            }

            var name = "og_template_" + Guid.NewGuid().ToString("N");
            await using (var conn = new NpgsqlConnection(cs))
            {
                await conn.OpenAsync();
                await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", conn);
                await create.ExecuteNonQueryAsync();
            }

            var migrator = new TestApp(Db.Postgres) { AdminToken = "", KeepData = true };
            migrator._settings["ConnectionStrings:Default"] = TestConnectionString(cs, name);
            _ = migrator.Server;
            await migrator.DisposeAsync();
            Directory.Delete(migrator._dataDir, recursive: true);
            NpgsqlConnection.ClearAllPools(); // a template takes no copies while a connection to it is open

            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                try
                {
                    using var conn = new NpgsqlConnection(cs);
                    conn.Open();
                    using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", conn);
                    drop.ExecuteNonQuery();
                }
                catch (NpgsqlException)
                {
                    // the server went first: nothing left to tidy
                }
            };
            Volatile.Write(ref _pgTemplate, name);
            return name;
        }
        finally
        {
            TemplateGate.Release();
        }
    }

    private static readonly SemaphoreSlim SqliteTemplateGate = new(1, 1);
    private static string? _sqliteTemplate;

    /// <summary>
    /// Puts a copy of a SQLite database migrated once per test process into this app's data directory, as
    /// <see cref="PostgresTemplateAsync"/> does for PostgreSQL: the template is made by a host's own start on an empty
    /// data directory (the migrations from nothing still run in every test process); each test then starts on a
    /// database with every migration applied instead of running them again (and comparing the model with the
    /// migrations' snapshot) in every host.
    /// </summary>
    private async Task CopySqliteTemplateAsync()
    {
        var template = await SqliteTemplateAsync();
        Directory.CreateDirectory(_dataDir);
        File.Copy(template, Path.Combine(_dataDir, "opengov.db"));
    }

    private static async Task<string> SqliteTemplateAsync()
    {
        if (Volatile.Read(ref _sqliteTemplate) is { } ready)
        {
            return ready;
        }

        await SqliteTemplateGate.WaitAsync();
        try
        {
            if (_sqliteTemplate is not null)
            {
                return _sqliteTemplate;
            }

            var migrator = new TestApp(Db.Sqlite) { AdminToken = "", KeepData = true };
            _ = migrator.Server;
            await migrator.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools(); // the last connection's close checkpoints the WAL
            var file = Path.Combine(migrator._dataDir, "opengov.db");
            if (File.Exists(file + "-wal") && new FileInfo(file + "-wal").Length > 0)
            {
                throw new InvalidOperationException("the SQLite template still has a write-ahead log after its host stopped");
            }

            var dir = migrator._dataDir;
            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                try
                {
                    Directory.Delete(dir, recursive: true);
                }
                catch (IOException)
                {
                }
            };
            Volatile.Write(ref _sqliteTemplate, file);
            return file;
        }
        finally
        {
            SqliteTemplateGate.Release();
        }
    }

    /// <summary>The real address when started with kestrel: true (http://127.0.0.1:PORT).</summary>
    public Uri BaseAddress => ClientOptions.BaseAddress;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("urls", "http://127.0.0.1:0");
        builder.UseSetting("data", _dataDir);
        builder.UseSetting("OPENGOV_BOOTSTRAP_ADMIN_TOKEN", AdminToken);
        foreach (var (k, v) in _settings)
        {
            builder.UseSetting(k, v);
        }

        if (_testServices is not null)
        {
            builder.ConfigureTestServices(_testServices);
        }
    }

    /// <summary>An anonymous client (on the real address when started with kestrel: true).</summary>
    public HttpClient Anonymous() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = ClientOptions.BaseAddress });

    /// <summary>A client sending the given API token raw in the Authorization header, as CKAN clients do.</summary>
    public HttpClient WithToken(string token)
    {
        var c = Anonymous();
        c.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", token);
        return c;
    }

    public HttpClient Admin() => WithToken(AdminToken);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (KeepData)
        {
            return;
        }

        if (_pgDatabase is not null && _pgAdminConnection is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var conn = new NpgsqlConnection(_pgAdminConnection);
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_pgDatabase}\" WITH (FORCE)", conn);
            await cmd.ExecuteNonQueryAsync();
        }

        try
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>Calls CKAN actions and reads the envelope.</summary>
public static class CkanClient
{
    public static async Task<(int Status, JsonObject Body)> ActionAsync(this HttpClient client, string action, object? data = null)
    {
        using var response = data is null
            ? await client.GetAsync("/api/3/action/" + action)
            : await client.PostAsJsonAsync("/api/3/action/" + action, data);
        var text = await response.Content.ReadAsStringAsync();
        JsonObject body;
        try
        {
            body = JsonNode.Parse(text) as JsonObject ?? throw new InvalidOperationException("not an object: " + text);
        }
        catch (JsonException)
        {
            throw new InvalidOperationException($"{action} answered {(int)response.StatusCode} with non-JSON: {text}");
        }

        return ((int)response.StatusCode, body);
    }

    /// <summary>Calls an action that must succeed and returns its result.</summary>
    public static async Task<JsonNode> OkAsync(this HttpClient client, string action, object? data = null)
    {
        var (status, body) = await client.ActionAsync(action, data);
        Assert.True(status == 200 && body["success"]?.GetValue<bool>() == true, $"{action} failed with {status}: {body.ToJsonString()}");
        return body["result"]!;
    }

    public static async Task<JsonNode> GetOkAsync(this HttpClient client, string actionWithQuery)
    {
        using var response = await client.GetAsync("/api/3/action/" + actionWithQuery);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{actionWithQuery} failed with {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!["result"]!;
    }

    public static AuthenticationHeaderValue? None => null;
}
