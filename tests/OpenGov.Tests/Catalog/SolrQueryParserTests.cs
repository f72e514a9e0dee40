using OpenGov.Catalog.Search;
using OpenGov.Ckan;

namespace OpenGov.Tests.Catalog;

public class SolrQueryParserTests
{
    [Fact]
    public void Number_ranges_keep_their_bounds_and_inclusiveness()
    {
        Assert.Equal(new SolrNumberRange("num_resources", 2, null, true, true), SolrQueryParser.Parse("num_resources:[2 TO *]"));
        Assert.Equal(new SolrNumberRange("num_tags", 1, 5, false, false), SolrQueryParser.Parse("num_tags:{1 TO 5}"));
        Assert.Equal(new SolrNumberRange("num_tags", null, 5, true, false), SolrQueryParser.Parse("num_tags:[* TO 5}"));
        Assert.Equal(new SolrNumberRange("num_resources", 3, 3), SolrQueryParser.Parse("num_resources:3"));
        Assert.Equal(new SolrNumberRange("num_resources", null, null), SolrQueryParser.Parse("num_resources:*"));
    }

    [Fact]
    public void Date_ranges_record_exclusive_bounds()
    {
        var r = Assert.IsType<SolrRange>(SolrQueryParser.Parse("metadata_modified:{2020-01-01T00:00:00Z TO 2021-01-01T00:00:00Z]"));
        Assert.False(r.FromInclusive);
        Assert.True(r.ToInclusive);
        Assert.Equal(new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc), r.From);
    }

    [Fact]
    public void Unescaped_stars_and_question_marks_make_string_wildcards()
    {
        Assert.Equal(new SolrWildcard("name", "english-*"), SolrQueryParser.Parse("name:english-*"));
        Assert.Equal(new SolrWildcard("name", "*-2020"), SolrQueryParser.Parse("name:*-2020"));
        Assert.Equal(new SolrWildcard("tags", "a?c"), SolrQueryParser.Parse("tags:a?c"));
        Assert.Equal(new SolrWildcard("name", "a\\*b*"), SolrQueryParser.Parse("name:a\\*b*"));
        Assert.Equal(new SolrField("name", "a*b"), SolrQueryParser.Parse("name:a\\*b"));
        Assert.Equal(new SolrField("name", "a*b"), SolrQueryParser.Parse("name:\"a*b\""));
        Assert.Equal(new SolrField("name", "*"), SolrQueryParser.Parse("name:*"));
    }

    [Fact]
    public void Text_fields_take_a_trailing_star_as_a_prefix()
    {
        Assert.Equal(new SolrText("accid", "title", Prefix: true), SolrQueryParser.Parse("title:accid*"));
        Assert.Equal(new SolrText("accid", null, Prefix: true), SolrQueryParser.Parse("accid*"));
        Assert.Equal(new SolrText("month", "extras_frequency", Prefix: true), SolrQueryParser.Parse("extras_frequency:month*"));
        Assert.Throws<CkanException>(() => SolrQueryParser.Parse("title:*ccident"));
        Assert.Throws<CkanException>(() => SolrQueryParser.Parse("notes:acc?dent"));
    }

    [Fact]
    public void Extras_fields_are_text_and_unknown_fields_are_extra_keys()
    {
        Assert.Equal(new SolrText("monthly", "extras_frequency"), SolrQueryParser.Parse("extras_frequency:monthly"));
        Assert.Equal(new SolrField("extras_frequency", "*"), SolrQueryParser.Parse("extras_frequency:*"));
        Assert.Equal(new SolrField("frequency", "monthly"), SolrQueryParser.Parse("frequency:monthly"));
        Assert.True(SolrQueryParser.IsTextField("extras_x"));
        Assert.False(SolrQueryParser.IsTextField("extras_"));
    }

    [Theory]
    [InlineData("num_resources:[a TO 2]")]
    [InlineData("num_resources:two")]
    [InlineData("num_resources:[1 TO 2")]
    [InlineData("name:[a TO b]")]
    [InlineData("metadata_modified:2020*")]
    [InlineData(":value")]
    public void Malformed_queries_are_search_query_errors(string query)
    {
        var e = Assert.Throws<CkanException>(() => SolrQueryParser.Parse(query));
        Assert.Contains("Search Query is invalid", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Words_are_stemmed_and_folded_like_ckans_text_field()
    {
        Assert.Equal(["traffic", "accid"], JapaneseTokenizer.Tokenize("Traffic accidents"));
        Assert.Equal(JapaneseTokenizer.Tokenize("accident"), JapaneseTokenizer.Tokenize("accidents"));
        Assert.Equal(JapaneseTokenizer.Tokenize("run"), JapaneseTokenizer.Tokenize("running"));
        Assert.Equal(["cafe"], JapaneseTokenizer.Tokenize("Café"));
        Assert.Equal(["2020"], JapaneseTokenizer.Tokenize("2020"));
        Assert.Equal(["人口", "口"], JapaneseTokenizer.Tokenize("人口"));
        var prefix = JapaneseTokenizer.QueryPhrase("accidents", prefix: true);
        Assert.Equal([new JapaneseTokenizer.QueryToken("accidents", true)], prefix);
    }
}
