using System.Text.Json.Nodes;

namespace OpenGov.Dashboards.Tests;

public class TokyoDataJsonTests
{
    private static JsonObject Build() => TokyoDataJson.Build(
        new TokyoDataSources(Tokyo.Patients, Tokyo.CallCenter, Tokyo.Querents, null, null),
        Tokyo.Source, TokyoPatient.FromTable(Tokyo.Tables[Tokyo.Patients]), Tokyo.LastUpdate);

    private static List<(string Date, long Value)> Pairs(JsonNode? envelope) =>
        envelope!["data"]!.AsArray().Select(x => (x!["日付"]!.GetValue<string>(), x["小計"]!.GetValue<long>())).ToList();

    [Fact]
    public void Patients_summary_equals_the_real_data_json_day_by_day()
    {
        var built = Pairs(Build()["patients_summary"]);
        var real = Pairs(Tokyo.Expected["patients_summary"]);

        Assert.Equal(196, real.Count);
        Assert.Equal(real, built);
        Assert.Equal(14645, built.Sum(p => p.Value));
    }

    [Fact]
    public void Contacts_equals_the_real_data_json_day_by_day()
    {
        var built = Pairs(Build()["contacts"]);
        var real = Pairs(Tokyo.Expected["contacts"]);

        Assert.Equal(real, built);
        Assert.Equal(168420, built.Sum(p => p.Value));
    }

    [Fact]
    public void Contacts_and_querents_carry_Tokyos_day_fields()
    {
        var data = Build();
        foreach (var key in new[] { "contacts", "querents" })
        {
            var built = data[key]!["data"]!.AsArray();
            var real = Tokyo.Expected[key]!["data"]!.AsArray();
            Assert.Equal(real.Count, built.Count);
            for (var i = 0; i < real.Count; i++)
            {
                foreach (var field in new[] { "日付", "曜日", "date", "w", "short_date", "小計" })
                {
                    Assert.Equal(real[i]![field]!.ToJsonString(), built[i]![field]!.ToJsonString());
                }
            }
        }
    }

    [Fact]
    public void Querents_seven_day_average_is_rounded_like_Tokyos_and_null_for_the_first_six_days()
    {
        var built = Build()["querents"]!["data"]!.AsArray();
        var real = Tokyo.Expected["querents"]!["data"]!.AsArray();
        var differing = Enumerable.Range(0, real.Count)
            .Count(i => real[i]!["７日間平均"]?.ToJsonString() != built[i]!["７日間平均"]?.ToJsonString());

        Assert.Null(built[5]!["７日間平均"]);
        Assert.Equal(80, built[6]!["７日間平均"]!.GetValue<long>());
        Assert.Equal(0, differing);
    }

    [Fact]
    public void Patients_list_has_Tokyos_keys_and_formats()
    {
        var patients = Build()["patients"]!["data"]!.AsArray();
        var head = Tokyo.Expected["patients_head"]!.AsArray();
        var tail = Tokyo.Expected["patients_tail"]!.AsArray();

        Assert.Equal(Tokyo.Expected["patients_count"]!.GetValue<int>(), patients.Count);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(head[i]!.ToJsonString(), patients[i]!.ToJsonString());
            Assert.Equal(tail[i]!.ToJsonString(), patients[patients.Count - 3 + i]!.ToJsonString());
        }
    }

    [Fact]
    public void LastUpdate_and_main_summary_use_Tokyos_date_forms()
    {
        var data = Build();

        Assert.Equal(Tokyo.Expected["lastUpdate"]!.GetValue<string>(), data["lastUpdate"]!.GetValue<string>());
        Assert.Equal("2020/08/06 20:00", data["patients_summary"]!["date"]!.GetValue<string>());
        var positive = data["main_summary"]!["children"]![0]!;
        Assert.Equal("陽性患者数", positive["attr"]!.GetValue<string>());
        Assert.Equal(14645, positive["value"]!.GetValue<long>());
        Assert.Equal(Tokyo.Expected["main_summary"]!["children"]![0]!["date"]!.GetValue<string>(), positive["date"]!.GetValue<string>());
    }

    [Fact]
    public void Missing_sources_leave_their_keys_out_but_keep_lastUpdate_and_main_summary()
    {
        var data = TokyoDataJson.Build(new TokyoDataSources(null, null, null, null, null), Tokyo.Source, null, Tokyo.LastUpdate);

        Assert.Equal(["lastUpdate", "main_summary"], data.Select(p => p.Key).ToArray());
    }

    [Fact]
    public void Serialized_json_keeps_Japanese_readable()
    {
        var json = TokyoDataJson.Serialize(TokyoDataJson.Build(new TokyoDataSources(null, Tokyo.CallCenter, null, null, null), Tokyo.Source, null, Tokyo.LastUpdate));

        Assert.Contains("\"小計\":23", json, StringComparison.Ordinal);
    }
}
