using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenGov.Catalog.Search;
using OpenGov.Storage;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.Catalog;

public class SearchTokenizerTests
{
    [Fact]
    public void Japanese_runs_become_bigrams_plus_the_last_character()
    {
        Assert.Equal(["人口", "口"], JapaneseTokenizer.Tokenize("人口"));
        Assert.Equal(["年齢", "齢別", "別人", "人口", "口統", "統計", "計"], JapaneseTokenizer.Tokenize("年齢別人口統計"));
        Assert.Equal(["人"], JapaneseTokenizer.Tokenize("人"));
    }

    [Fact]
    public void Text_is_nfkc_normalised_and_lower_cased_and_other_scripts_stay_whole_words()
    {
        Assert.Equal(["abc", "公園", "園"], JapaneseTokenizer.Tokenize("ＡＢＣ公園"));
        Assert.Equal(["コロ", "ロナ", "ナ"], JapaneseTokenizer.Tokenize("ｺﾛﾅ"));
        Assert.Equal(["covid", "19", "陽性", "性"], JapaneseTokenizer.Tokenize("COVID-19 陽性"));
        Assert.Equal(["2020", "年", "cafe"], JapaneseTokenizer.Tokenize("２０２０年 Café"));
        Assert.Equal(["ヶ月", "月"], JapaneseTokenizer.Tokenize("ヶ月"));
        Assert.Empty(JapaneseTokenizer.Tokenize("・、。!?"));
    }

    [Fact]
    public void Query_terms_become_phrases_that_match_inside_unspaced_text()
    {
        static string Q(string term) => string.Join(" ", JapaneseTokenizer.QueryPhrase(term).Select(t => t.Text + (t.Prefix ? "*" : "")));
        Assert.Equal("人口", Q("人口"));
        Assert.Equal("感染 染症", Q("感染症"));
        Assert.Equal("人*", Q("人"));
        Assert.Equal("陽性 性 abc", Q("陽性abc")); // the document has the unigram 性 before abc
        Assert.Equal("abc 陽性", Q("abc陽性"));
        Assert.Equal("人 abc", Q("人abc"));
        Assert.Equal("新型 型 コロ ロナ", Q("新型 コロナ"));
        Assert.Equal("", Q("・"));
    }

    [Theory, Databases]
    public async Task Reindex_all_rebuilds_an_emptied_index(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var org = await app.OrganizationAsync("chiba", "千葉市");
        await app.DatasetAsync(org, "a", "年齢別人口統計");
        await app.DatasetAsync(org, "b", "避難所一覧");
        using (var scope = app.Services.CreateScope())
        {
            var ogdb = scope.ServiceProvider.GetRequiredService<OpenGovDb>();
            await ogdb.Database.ExecuteSqlRawAsync(ogdb.IsPostgres ? "DELETE FROM search_doc" : "DELETE FROM search_fts; DELETE FROM search_doc;", TestContext.Current.CancellationToken);
        }

        Assert.Empty((await app.Anonymous().SearchAsync(("q", "人口"))).Names());
        using (var scope = app.Services.CreateScope())
        {
            var indexer = scope.ServiceProvider.GetRequiredService<SearchIndexer>();
            await indexer.ReindexAllAsync(TestContext.Current.CancellationToken);
            Assert.Equal(2, await indexer.IndexedCountAsync(TestContext.Current.CancellationToken));
        }

        Assert.Equal(["a"], (await app.Anonymous().SearchAsync(("q", "人口"))).Names());
    }

    [Theory, Databases]
    public async Task Start_fills_an_empty_index_when_datasets_exist(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var org = await app.OrganizationAsync("chiba", "千葉市");
        await app.DatasetAsync(org, "a", "年齢別人口統計");
        using var scope = app.Services.CreateScope();
        var ogdb = scope.ServiceProvider.GetRequiredService<OpenGovDb>();
        await ogdb.Database.ExecuteSqlRawAsync(ogdb.IsPostgres ? "DELETE FROM search_doc" : "DELETE FROM search_fts; DELETE FROM search_doc;", TestContext.Current.CancellationToken);
        foreach (var init in scope.ServiceProvider.GetServices<IStorageInitializer>())
        {
            await init.InitializeAsync(ogdb, TestContext.Current.CancellationToken);
        }

        Assert.Equal(["a"], (await app.Anonymous().SearchAsync(("q", "人口"))).Names());
    }

    [Theory, Databases]
    public async Task An_index_written_before_kana_folding_is_rebuilt_on_start(Db db)
    {
        var ct = TestContext.Current.CancellationToken;
        var first = await TestApp.StartAsync(db);
        var org = await first.OrganizationAsync("chiba", "千葉市");
        await first.DatasetAsync(org, "a", "ころな対策");
        using (var scope = first.Services.CreateScope())
        {
            // what version 1 wrote: hiragana tokens, and the version mark 1
            var ogdb = scope.ServiceProvider.GetRequiredService<OpenGovDb>();
            var old = new SearchDocument("ころ ろな な対 対策 策 a", "", "", "", "");
            await ogdb.Database.ExecuteSqlRawAsync(
                ogdb.IsPostgres ? "UPDATE search_doc SET tsv = CAST({0} AS tsvector)" : "UPDATE search_fts SET title = {0}", [ogdb.IsPostgres ? old.ToTsVector() : old.Title], ct);
            await ogdb.Database.ExecuteSqlRawAsync("UPDATE search_meta SET value = '1' WHERE key = 'tokenizer_version'", ct);
        }

        Assert.Empty((await first.Anonymous().SearchAsync(("q", "コロナ"))).Names());
        first.KeepData = true;
        await first.DisposeAsync();

        await using var restarted = await TestApp.OpenOnSameDataAsync(first);
        Assert.Equal(["a"], (await restarted.Anonymous().SearchAsync(("q", "コロナ"))).Names());
        Assert.Equal(["a"], (await restarted.Anonymous().SearchAsync(("q", "ころな"))).Names());
    }
}
