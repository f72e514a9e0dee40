using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace OpenGov.Council;

/// <summary>Writes a <see cref="PressRelease"/> as an editable Word document (.docx), A4, 明朝.</summary>
public static class PressReleaseDocx
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    public static byte[] Write(PressRelease r)
    {
        using var stream = new MemoryStream();
        using (var doc = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            var main = doc.AddMainDocumentPart();
            var body = new Body();
            void P(string text, bool bold = false, JustificationValues? align = null, int size = 21, bool pageBreakBefore = false)
            {
                var props = new ParagraphProperties();
                if (pageBreakBefore)
                {
                    props.Append(new PageBreakBefore());
                }

                if (align is { } a)
                {
                    props.Append(new Justification { Val = a });
                }

                var runProps = new RunProperties(new RunFonts { EastAsia = "游明朝", Ascii = "Century", HighAnsi = "Century" }, new FontSize { Val = size.ToString(System.Globalization.CultureInfo.InvariantCulture) });
                if (bold)
                {
                    runProps.Append(new Bold());
                }

                body.Append(new Paragraph(props, new Run(runProps, new Text(text) { Space = SpaceProcessingModeValues.Preserve })));
            }

            P("発信日：" + r.IssuedOn, align: JustificationValues.Right);
            P(r.Addressee);
            P(r.KindBoxes);
            P("発信元：" + r.Sender, align: JustificationValues.Right);
            P(r.Title, bold: true, align: JustificationValues.Center, size: 28);
            P("●趣旨", bold: true);
            foreach (var para in r.Purpose)
            {
                P("　" + para);
            }

            P("●日時　" + r.When, bold: true);
            P("●開催形式", bold: true);
            P(r.Format);
            if (r.VideoUrl is { } v)
            {
                P("【視聴用URL】" + v);
            }

            P("●テーマ　「" + r.Theme + "」", bold: true);
            P("●プログラム", bold: true);
            foreach (var item in r.Programme)
            {
                P(item.Title);
                foreach (var (role, lines) in item.Groups)
                {
                    if (role is not null)
                    {
                        P("　" + role);
                    }

                    foreach (var line in lines)
                    {
                        P("　　" + line);
                    }
                }
            }

            P("※出席者は予告なく変更となる場合があります。");
            if (r.PrVideoUrl is { } pr)
            {
                P("【ＰＲ動画URL】" + pr);
            }

            var o = r.Overview;
            P(o.Name + "概要", bold: true, align: JustificationValues.Center, size: 24, pageBreakBefore: true);
            P("１ 目的", bold: true);
            P("　" + o.PurposeLead);
            for (var i = 0; i < o.PurposeItems.Count; i++)
            {
                P(PressReleaseBuilder.Numbered(i) + o.PurposeItems[i]);
            }

            P("２ 設立", bold: true);
            P("　" + o.Founded);
            P("３ 会員", bold: true);
            P("（１）地方公共団体（一般会員）");
            P("　" + string.Join("、", o.LocalGovernments));
            P("（２）大学・民間企業等（特別会員）");
            foreach (var m in o.SpecialMembers)
            {
                P("　" + m);
            }

            P("４ 事業内容", bold: true);
            for (var i = 0; i < o.Business.Count; i++)
            {
                P(PressReleaseBuilder.Numbered(i) + o.Business[i]);
            }

            P("５ 主な活動内容", bold: true);
            foreach (var (year, lines) in o.Activities)
            {
                for (var i = 0; i < lines.Count; i++)
                {
                    P(i == 0 ? $"{year}・・・{lines[i]}" : "　　　　　　　　" + lines[i]);
                }
            }

            body.Append(new SectionProperties(
                new PageSize { Width = 11906, Height = 16838 },
                new PageMargin { Top = 1701, Right = 1418, Bottom = 1418, Left = 1418, Header = 851, Footer = 992, Gutter = 0 }));
            main.Document = new Document(body);
            main.Document.Save();
        }

        return stream.ToArray();
    }
}
