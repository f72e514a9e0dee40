using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests.Council;

/// <summary>The seed's press release of 2020-11-06, regenerated from the demo's event and registry.</summary>
public sealed class PressReleaseTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Members = "室蘭市、郡山市、つくば市、千葉市（会長市）、浜松市、三重県、桑名市、奈良市、福岡市、武雄市、熊本市、日南市";

    private static readonly string[] HistoryLines =
    [
        "平成25年度・・・協議会設立（武雄市、千葉市、奈良市、福岡市）",
        "平成26年度・・・室蘭市、三重県加入",
        "平成27年度・・・大津市、弘前市、横須賀市加入",
        "オープンガバメント推進協議会に名称変更",
        "公開シンポジウム、マイナンバー普及啓発イベント",
        "平成29年度・・・横須賀市脱退",
        "平成30年度・・・弘前市脱退",
        "平成31年度・・・桑名市加入、大津市脱退",
        "令和2年度・・・つくば市、熊本市加入",
    ];

    [Theory, Databases]
    public async Task The_2020_11_06_release_is_regenerated_as_a_page(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.SeedCouncilAsync();
        var page = System.Net.WebUtility.HtmlDecode(await app.Anonymous().GetStringAsync("/council/press/symposium-2020", Ct));

        Assert.Contains("発信日：令和2年（2020年）11月6日（金）", page);
        Assert.Contains("つくば市記者会 御中", page);
        Assert.Contains("■取材依頼 ■周知依頼 ■募集告知 □その他", page);
        Assert.Contains("発信元：つくば市 政策イノベーション部 情報政策課", page);
        Assert.Contains("令和2年（2020年）11月19日（木）15:00～16:30", page);
        Assert.Contains("https://youtu.be/NUZt2y4blJE", page);
        Assert.Contains("「感染症対策を契機とした社会変革」", page);
        Assert.Contains("一般社団法人 コード・フォー・ジャパン 代表理事 関 治之 氏", page);
        Assert.Contains("郡山市長、千葉市長、奈良市長、福岡市長、日南市長、つくば市長", page);
        Assert.Contains("<p id=\"press-local-members\">" + Members + "</p>", page);
        Assert.Contains("<li>一般社団法人 オープンガバメント・コンソーシアム</li>", page);
        Assert.Contains("平成25年4月1日（「ビッグデータ・オープンデータ活用推進協議会」として設立。平成27年4月1日付で「オープンガバメント推進協議会」に名称変更）", page);
        Assert.Contains("<dd>桑名市加入、大津市脱退</dd>", page);
        Assert.Contains("<dd>つくば市、熊本市加入</dd>", page);
        Assert.DoesNotContain("感染症対策を契機とした社会変革）", page); // the symposium itself is after the 発信日
    }

    [Theory, Databases]
    public async Task The_release_downloads_as_an_editable_docx_with_members_and_history(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        await app.SeedCouncilAsync();
        using var response = await app.Anonymous().GetAsync("/council/press/symposium-2020.docx", Ct);
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.wordprocessingml.document", response.Content.Headers.ContentType!.MediaType);

        await using var stream = new MemoryStream(await response.Content.ReadAsByteArrayAsync(Ct));
        using var doc = WordprocessingDocument.Open(stream, false);
        var paragraphs = doc.MainDocumentPart!.Document!.Body!.Elements<Paragraph>().Select(p => p.InnerText.Trim()).ToList();
        Assert.Contains("発信日：令和2年（2020年）11月6日（金）", paragraphs);
        Assert.Contains("■取材依頼 ■周知依頼 ■募集告知 □その他", paragraphs);
        Assert.Contains(Members, paragraphs);
        foreach (var line in HistoryLines)
        {
            Assert.Contains(line, paragraphs);
        }

        Assert.Equal(404, (int)(await app.Anonymous().GetAsync("/council/press/no-such-event.docx", Ct)).StatusCode);
    }
}
