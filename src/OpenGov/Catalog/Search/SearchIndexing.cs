#pragma warning disable EF1002 // identifiers come from the model, values are always parameters
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using OpenGov.Ckan;
using OpenGov.Hosting;
using OpenGov.Shared;
using OpenGov.Storage;

namespace OpenGov.Catalog.Search;

/// <summary>
/// Keeps the full-text index in step with the catalog. Every write that changes what a dataset shows (title, notes,
/// tags, organization, resources, state, privacy) calls <see cref="IndexAsync"/> in the same unit of work, after
/// SaveChanges, so that search never shows a dataset that does not exist or misses one that does.
/// </summary>
public interface ISearchIndexer
{
    /// <summary>(Re)indexes one dataset by id; removes it from the index when it no longer exists or is deleted.</summary>
    Task IndexAsync(string datasetId, CancellationToken ct);

    /// <summary>Reindexes every dataset of an organization (after its title changes).</summary>
    Task IndexOrganizationAsync(string organizationId, CancellationToken ct);

    /// <summary>
    /// Writes a document built beforehand with <see cref="SearchDocument.From"/> (null: removes the dataset), so that a
    /// large package is tokenised before its transaction rather than while it holds the database's write lock.
    /// </summary>
    Task IndexPreparedAsync(string datasetId, SearchDocument? document, CancellationToken ct);
}

/// <summary>Registration of the search feature (index, package_search, browse pages, DCAT).</summary>
public static class CatalogSearchModule
{
    public static IServiceCollection AddCatalogSearch(this IServiceCollection services)
    {
        services.AddScoped<SearchIndexer>();
        services.AddScoped<ISearchIndexer>(sp => sp.GetRequiredService<SearchIndexer>());
        services.AddScoped<PackageSearch>();
        services.AddSingleton<Synonyms.SynonymStore>();
        services.AddScoped<Synonyms.SynonymEditing>();
        services.AddScoped<PackageDictLoader>();
        services.AddSingleton<IStorageInitializer, SearchStorageInitializer>();
        services.AddSingleton<IDemoSeeder, SearchIndexCatchUp>();
        return services;
    }

    public static void MapSearchActions(CkanActionMapper api) =>
        api.CachedRead("package_search", api.Group.MapMethods("/package_search", CkanActionMapper.ReadMethods, PackageSearchAction.Handle), "Searches datasets (Solr-style q, fq, facets, sort, paging) with Japanese full-text search.");

    public static IEndpointRouteBuilder MapCatalogSearch(this IEndpointRouteBuilder app)
    {
        app.MapDcat();
        return app;
    }
}

/// <summary>Names of the catalog tables and the search objects, as the model maps them (snake_case).</summary>
internal sealed class SearchSql(OpenGovDb db)
{
    public const string FtsTable = "search_fts";
    public const string DocTable = "search_doc";

    /// <summary>Key/value facts about the index (the tokenizer version it was written with).</summary>
    public const string MetaTable = "search_meta";

    public bool Pg => db.IsPostgres;

    public string Dataset => Table<Dataset>();

    public string Organization => Table<Organization>();

    public string Group => Table<Group>();

    public string Resource => Table<Resource>();

    public string Tag => Table<Tag>();

    public string DatasetTag => Table<DatasetTag>();

    public string DatasetGroup => Table<DatasetGroup>();

    public string DatasetExtra => Table<DatasetExtra>();

    private string Table<T>() => "\"" + (db.Model.FindEntityType(typeof(T))?.GetTableName() ?? throw new InvalidOperationException(typeof(T).Name)) + "\"";
}

/// <summary>
/// Creates the full-text objects (idempotent) and rebuilds the index when it is empty while datasets exist or was
/// written by another <see cref="JapaneseTokenizer.Version"/> (so existing rows are found after a tokenizer change).
/// </summary>
internal sealed class SearchStorageInitializer : IStorageInitializer
{
    public async Task InitializeAsync(OpenGovDb db, CancellationToken ct)
    {
        if (db.IsPostgres)
        {
            await db.Database.ExecuteSqlRawAsync(
                $"""
                CREATE TABLE IF NOT EXISTS {SearchSql.DocTable} (dataset_id text PRIMARY KEY, tsv tsvector NOT NULL);
                CREATE INDEX IF NOT EXISTS ix_{SearchSql.DocTable}_tsv ON {SearchSql.DocTable} USING GIN (tsv);
                DO $$ BEGIN
                  IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'tr_{SearchSql.DocTable}_stamp') THEN
                    CREATE CONSTRAINT TRIGGER tr_{SearchSql.DocTable}_stamp AFTER INSERT OR UPDATE OR DELETE ON {SearchSql.DocTable}
                      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION catalog_stamp_bump();
                  END IF;
                END $$;
                """, ct);
        }
        await db.Database.ExecuteSqlRawAsync(
            $"CREATE TABLE IF NOT EXISTS {SearchSql.MetaTable} (key text PRIMARY KEY, value text NOT NULL)", ct);
        if (!db.IsPostgres)
        {
            // FTS5's columns are fixed when the table is made: an index of another version is dropped and made again
            // (version 3 added the extras column), then rebuilt below.
            var written = await db.Database.SqlQueryRaw<string>(
                $"SELECT value AS \"Value\" FROM {SearchSql.MetaTable} WHERE key = 'tokenizer_version'").FirstOrDefaultAsync(ct);
            if (written is not null && written != JapaneseTokenizer.Version.ToString(CultureInfo.InvariantCulture))
            {
                await db.Database.ExecuteSqlRawAsync($"DROP TABLE IF EXISTS {SearchSql.FtsTable}; DELETE FROM {SearchSql.DocTable};", ct);
            }

            await db.Database.ExecuteSqlRawAsync(
                $"""
                CREATE TABLE IF NOT EXISTS {SearchSql.DocTable} (row_id INTEGER PRIMARY KEY, dataset_id TEXT NOT NULL UNIQUE);
                CREATE VIRTUAL TABLE IF NOT EXISTS {SearchSql.FtsTable} USING fts5(dataset_id UNINDEXED, title, tags, organization, resources, notes, extras, tokenize='ascii', prefix='1');
                """, ct);
        }

        // One transaction (on PostgreSQL under an advisory lock, so nodes starting together rebuild once): an index
        // written by another tokenizer version, or an empty one while datasets exist, is rebuilt from the catalog.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (db.IsPostgres)
        {
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(7310462081)", ct);
        }

        var indexer = new SearchIndexer(db);
        var stored = await db.Database.SqlQueryRaw<string>(
            $"SELECT value AS \"Value\" FROM {SearchSql.MetaTable} WHERE key = 'tokenizer_version'").FirstOrDefaultAsync(ct);
        var current = JapaneseTokenizer.Version.ToString(CultureInfo.InvariantCulture);
        var hasDatasets = await db.Datasets.AnyAsync(d => d.State != RecordState.Deleted, ct);
        if (hasDatasets && (stored != current || await indexer.IndexedCountAsync(ct) == 0))
        {
            await indexer.ReindexAllAsync(ct);
        }

        if (stored != current)
        {
            await db.Database.ExecuteSqlRawAsync(
                $"INSERT INTO {SearchSql.MetaTable} (key, value) VALUES ('tokenizer_version', {{0}}) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                [current], ct);
        }

        await tx.CommitAsync(ct);
    }
}

/// <summary>After demo content is loaded (which may bypass the actions), indexes whatever is missing.</summary>
internal sealed class SearchIndexCatchUp : IDemoSeeder
{
    public int Order => int.MaxValue;

    public async Task SeedAsync(IServiceProvider services, CancellationToken ct)
    {
        var indexer = services.GetRequiredService<SearchIndexer>();
        var db = services.GetRequiredService<OpenGovDb>();
        if (await indexer.IndexedCountAsync(ct) < await db.Datasets.CountAsync(d => d.State != RecordState.Deleted, ct))
        {
            await indexer.ReindexAllAsync(ct);
        }
    }
}

/// <summary>
/// The text of one dataset as the index stores it: space-joined tokens per field. Extras holds, per extra, its
/// value's tokens (CKAN copies extras_* into its catch-all text field) followed by the same tokens marked with the
/// key (<see cref="JapaneseTokenizer.ExtraToken"/>) for extras_KEY searches.
/// </summary>
public sealed record SearchDocument(string Title, string Tags, string Organization, string Resources, string Notes, string Extras = "")
{
    /// <summary>Caps per field keep PostgreSQL positions under its limit of 16383; both databases get the same text.</summary>
    private const int TitleCap = 300, TagsCap = 1000, OrgCap = 100, ResourcesCap = 4000, NotesCap = 10000, ExtrasCap = 900;

    public static SearchDocument From(Dataset d, Organization? org) => new(
        Join(JapaneseTokenizer.Tokenize(d.Title + " " + d.Name), TitleCap),
        Join(d.Tags.Where(t => t.Tag is not null).SelectMany(t => JapaneseTokenizer.Tokenize(t.Tag!.Name)), TagsCap),
        Join(org is null ? [] : JapaneseTokenizer.Tokenize(org.Title + " " + org.TitleEn + " " + org.Name), OrgCap),
        Join(d.Resources.Where(r => r.State == RecordState.Active).OrderBy(r => r.Position)
            .SelectMany(r => JapaneseTokenizer.Tokenize(r.Name + " " + SafeMarkdown.ToPlainText(r.Description) + " " + r.Format)), ResourcesCap),
        Join(JapaneseTokenizer.Tokenize(SafeMarkdown.ToPlainText(d.Notes)), NotesCap),
        Join(d.Extras.OrderBy(e => e.Key, StringComparer.Ordinal).SelectMany(ExtraTokens), ExtrasCap));

    private static IEnumerable<string> ExtraTokens(DatasetExtra e)
    {
        var tokens = JapaneseTokenizer.Tokenize(e.Value);
        return Encoding.UTF8.GetByteCount(e.Key) > JapaneseTokenizer.MaxExtraKeyBytes
            ? tokens
            : tokens.Concat(tokens.Select(t => JapaneseTokenizer.ExtraToken(e.Key, t)));
    }

    private static string Join(IEnumerable<string> tokens, int cap) => string.Join(' ', tokens.Take(cap));

    /// <summary>
    /// PostgreSQL tsvector literal with weights A (title), B (tags), C (organization, resources), D (notes). Built here
    /// rather than by to_tsvector so that PostgreSQL's parser (which depends on the server locale) cannot split tokens
    /// differently from SQLite; a gap between fields keeps phrases from spanning two fields.
    /// </summary>
    public string ToTsVector()
    {
        var sb = new StringBuilder();
        var pos = 0;
        Field(Title, 'A');
        Field(Tags, 'B');
        Field(Organization, 'C');
        Field(Resources, 'C');
        Field(Notes, 'D');
        Field(Extras, 'D');
        return sb.ToString();

        void Field(string text, char weight)
        {
            if (text.Length == 0)
            {
                return;
            }

            foreach (var token in text.Split(' '))
            {
                pos++;
                sb.Append('\'').Append(token.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "''", StringComparison.Ordinal)).Append("':")
                    .Append(Math.Min(pos, 16383).ToString(CultureInfo.InvariantCulture)).Append(weight).Append(' ');
            }

            pos++; // gap
        }
    }
}

/// <summary>Writes datasets into the database's own full-text index (FTS5 on SQLite, tsvector + GIN on PostgreSQL).</summary>
public sealed class SearchIndexer(OpenGovDb db) : ISearchIndexer
{
    private readonly SearchSql _sql = new(db);

    // On SQLite the index is written after the catalog rows and FTS5 tables take no triggers, so the statements that
    // change it move the catalog stamp themselves (CatalogStamp.BumpSql); on PostgreSQL search_doc has the trigger.
    public async Task IndexAsync(string datasetId, CancellationToken ct)
    {
        var d = await Load().FirstOrDefaultAsync(x => x.Id == datasetId, ct);
        if (d is null || d.State == RecordState.Deleted)
        {
            await RemoveAsync(datasetId, ct);
            return;
        }

        var org = await db.Organizations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == d.OwnerOrgId, ct);
        await WriteAsync(d.Id, SearchDocument.From(d, org), ct);
    }

    public Task IndexPreparedAsync(string datasetId, SearchDocument? document, CancellationToken ct) =>
        document is null ? RemoveAsync(datasetId, ct) : WriteAsync(datasetId, document, ct);

    public async Task IndexOrganizationAsync(string organizationId, CancellationToken ct)
    {
        var ids = await db.Datasets.AsNoTracking().Where(d => d.OwnerOrgId == organizationId).Select(d => d.Id).ToListAsync(ct);
        await IndexManyAsync(ids, ct);
    }

    /// <summary>Rebuilds the whole index from the catalog tables.</summary>
    public async Task ReindexAllAsync(CancellationToken ct)
    {
        await using var tx = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        await ExecAsync(_sql.Pg ? $"DELETE FROM {SearchSql.DocTable}" : $"DELETE FROM {SearchSql.FtsTable}; DELETE FROM {SearchSql.DocTable};", ct);
        var ids = await db.Datasets.AsNoTracking().Where(d => d.State != RecordState.Deleted).OrderBy(d => d.Id).Select(d => d.Id).ToListAsync(ct);
        await IndexManyAsync(ids, ct);
        if (tx is not null)
        {
            await tx.CommitAsync(ct);
        }
    }

    public Task<long> IndexedCountAsync(CancellationToken ct) =>
        db.Database.SqlQueryRaw<long>($"SELECT COUNT(*) AS \"Value\" FROM {SearchSql.DocTable}").SingleAsync(ct);

    private async Task IndexManyAsync(IReadOnlyList<string> ids, CancellationToken ct)
    {
        var orgs = await db.Organizations.AsNoTracking().ToDictionaryAsync(o => o.Id, ct);
        foreach (var chunk in ids.Chunk(500))
        {
            var datasets = await Load().Where(d => chunk.Contains(d.Id)).ToListAsync(ct);
            var found = datasets.Select(d => d.Id).ToHashSet();
            foreach (var d in datasets)
            {
                if (d.State == RecordState.Deleted)
                {
                    await RemoveAsync(d.Id, ct);
                }
                else
                {
                    await WriteAsync(d.Id, SearchDocument.From(d, orgs.GetValueOrDefault(d.OwnerOrgId)), ct);
                }
            }

            foreach (var missing in chunk.Where(id => !found.Contains(id)))
            {
                await RemoveAsync(missing, ct);
            }
        }
    }

    private IQueryable<Dataset> Load() => db.Datasets.AsNoTracking().AsSplitQuery()
        .Include(d => d.Resources)
        .Include(d => d.Tags).ThenInclude(t => t.Tag)
        .Include(d => d.Extras);

    private async Task WriteAsync(string id, SearchDocument doc, CancellationToken ct)
    {
        if (_sql.Pg)
        {
            await db.Database.ExecuteSqlRawAsync(
                $"INSERT INTO {SearchSql.DocTable} (dataset_id, tsv) VALUES ({{0}}, CAST({{1}} AS tsvector)) ON CONFLICT (dataset_id) DO UPDATE SET tsv = EXCLUDED.tsv",
                [id, doc.ToTsVector()], ct);
            return;
        }

        await db.Database.ExecuteSqlRawAsync(
            $$"""
            INSERT INTO {{SearchSql.DocTable}} (dataset_id) VALUES ({0}) ON CONFLICT (dataset_id) DO NOTHING;
            DELETE FROM {{SearchSql.FtsTable}} WHERE rowid = (SELECT row_id FROM {{SearchSql.DocTable}} WHERE dataset_id = {0});
            INSERT INTO {{SearchSql.FtsTable}} (rowid, dataset_id, title, tags, organization, resources, notes, extras)
            VALUES ((SELECT row_id FROM {{SearchSql.DocTable}} WHERE dataset_id = {0}), {0}, {1}, {2}, {3}, {4}, {5}, {6});
            {{CatalogStamp.BumpSql}}
            """,
            [id, doc.Title, doc.Tags, doc.Organization, doc.Resources, doc.Notes, doc.Extras], ct);
    }

    private Task<int> RemoveAsync(string id, CancellationToken ct) => db.Database.ExecuteSqlRawAsync(
        _sql.Pg
            ? $"DELETE FROM {SearchSql.DocTable} WHERE dataset_id = {{0}}"
            : $$"""
              DELETE FROM {{SearchSql.FtsTable}} WHERE rowid = (SELECT row_id FROM {{SearchSql.DocTable}} WHERE dataset_id = {0});
              DELETE FROM {{SearchSql.DocTable}} WHERE dataset_id = {0};
              {{CatalogStamp.BumpSql}}
              """,
        [id], ct);

    private Task<int> ExecAsync(string sql, CancellationToken ct) => db.Database.ExecuteSqlRawAsync(sql, ct);
}
