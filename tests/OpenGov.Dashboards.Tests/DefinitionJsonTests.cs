namespace OpenGov.Dashboards.Tests;

public class DefinitionJsonTests
{
    private static DashboardDefinition Sample() => new()
    {
        Slug = "covid19",
        Title = new("新型コロナウイルス感染症", "COVID-19"),
        Organization = "tokyo",
        Cards =
        [
            new CardDefinition
            {
                Id = "patients",
                Title = new("報告日別陽性者数", "Positive cases by report date"),
                Notes = new("**注**", "Note"),
                Source = "res-1",
                Computation = new() { Kind = ComputationKind.CountPerDay, DateColumn = "公表_年月日", WithMovingAverage = true },
                Chart = ChartKind.BarLine,
                DefaultRangeDays = 60,
            },
        ],
    };

    [Fact]
    public void A_definition_survives_a_round_trip_through_json()
    {
        var json = DashboardJson.Serialize(Sample());
        var back = DashboardJson.Deserialize(json);

        Assert.Equal(json, DashboardJson.Serialize(back));
        Assert.Contains("\"chart\": \"barLine\"", json, StringComparison.Ordinal);
        Assert.Contains("報告日別陽性者数", json, StringComparison.Ordinal);
        Assert.Equal(60, back.Cards[0].DefaultRangeDays);
    }

    [Theory]
    [InlineData("{")]
    [InlineData("null")]
    [InlineData("{\"slug\":\"Bad Slug\",\"title\":{\"ja\":\"x\"},\"organization\":\"o\"}")]
    [InlineData("{\"slug\":\"ok\",\"title\":{\"ja\":\"x\"},\"organization\":\"o\",\"cards\":[{\"id\":\"a\",\"title\":{\"ja\":\"a\"},\"source\":\"r\",\"computation\":{\"kind\":\"sumPerDay\",\"dateColumn\":\"d\"}}]}")]
    [InlineData("{\"slug\":\"ok\",\"title\":{\"ja\":\"x\"},\"organization\":\"o\",\"cards\":[{\"id\":\"a\",\"title\":{\"ja\":\"a\"},\"source\":\"r\",\"computation\":{\"kind\":\"nope\"}}]}")]
    [InlineData("{\"slug\":\"ok\",\"title\":{\"ja\":\"x\"},\"organization\":\"o\",\"cards\":[{\"id\":\"a\",\"title\":{\"ja\":\"a\"},\"source\":\"r\",\"chart\":\"box\",\"computation\":{\"kind\":\"countPerDay\",\"dateColumn\":\"d\"}}]}")]
    public void Bad_definitions_are_refused_with_a_message(string json)
    {
        var e = Assert.Throws<DashboardDefinitionException>(() => DashboardJson.Deserialize(json));

        Assert.False(string.IsNullOrWhiteSpace(e.Message));
    }

    [Fact]
    public void Duplicate_card_ids_are_reported()
    {
        var d = Sample() with { Cards = [Sample().Cards[0], Sample().Cards[0]] };

        Assert.Contains(DashboardValidator.Validate(d), e => e.Contains("重複", StringComparison.Ordinal));
    }

    [Fact]
    public void Localized_text_falls_back_to_Japanese()
    {
        Assert.Equal("陽性", new LocalizedText("陽性").For("en"));
        Assert.Equal("Positive", new LocalizedText("陽性", "Positive").For("en-US"));
        Assert.Equal("陽性", new LocalizedText("陽性", "Positive").For("ja"));
    }
}
