using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using OpenGov.Accounts;
using OpenGov.Catalog;
using OpenGov.Catalog.Editing.Pages;
using OpenGov.DataStore;

namespace OpenGov.Dashboards.Pages;

/// <summary>
/// /dashboards/{org}/{slug}/edit: the card editor for data staff. The working copy (the draft definition) travels in a
/// hidden field of every form, so the page works without JavaScript: move, remove, add or edit a card, see the preview
/// drawn as the dashboard page draws it, then save a new version through <see cref="DashboardStore"/> (which checks the
/// editor's right, the definition and the sources again). Every request checks the editor's right.
/// </summary>
public sealed class EditModel(DashboardStore store, DashboardData data, SourceTables sourceTables, CurrentUser user, IStringLocalizer<DashboardsText> text) : PageModel
{
    public Organization Org { get; private set; } = null!;

    public string Slug { get; private set; } = "";

    /// <summary>The stored dashboard's version (0: not saved yet).</summary>
    public int StoredVersion { get; private set; }

    /// <summary>The working copy as JSON (the hidden field of every form).</summary>
    [BindProperty]
    public string Draft { get; set => field = value ?? ""; } = "";

    [BindProperty]
    public CardForm Form { get; set; } = new();

    [BindProperty]
    public string TitleJa { get; set => field = value ?? ""; } = "";

    [BindProperty]
    public string TitleEn { get; set => field = value ?? ""; } = "";

    /// <summary>The button pressed: new, edit:ID, up:ID, down:ID, remove:ID, columns, apply, cancel, save.</summary>
    [BindProperty]
    public string Do { get; set => field = value ?? ""; } = "";

    public DashboardDefinition Definition { get; private set; } = null!;

    /// <summary>The card form is open.</summary>
    public bool Editing { get; private set; }

    /// <summary>A short note of what the last action did (shown in the status region).</summary>
    public string? Status { get; private set; }

    public FormErrors Errors { get; } = new();

    public IReadOnlyList<SourceTable> Tables { get; private set; } = [];

    public IReadOnlyList<DsField> MainFields { get; private set; } = [];

    public IReadOnlyList<DsField> SecondFields { get; private set; } = [];

    public ComputedDashboard Preview { get; private set; } = null!;

    public bool English => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";

    public string Language => English ? "en" : "ja";

    public string BasePath => $"/dashboards/{Org.Name}/{Slug}";

    public string DraftJson => JsonSerializer.Serialize(Definition, DashboardJson.Options);

    public async Task<IActionResult> OnGetAsync(string org, string slug, [FromQuery] string? card, CancellationToken ct)
    {
        if (await LoadAsync(org, slug, ct) is { } refused)
        {
            return refused;
        }
        var stored = await store.GetAsync(org, slug, ct);
        Definition = stored?.Definition ?? new DashboardDefinition { Slug = slug, Organization = Org.Name, Title = new("") };
        StoredVersion = stored?.Record.Version ?? 0;
        if (card == "new")
        {
            OpenNew();
        }
        else if (card is not null && Definition.Cards.FirstOrDefault(c => c.Id == card) is { } existing)
        {
            Form = CardForm.From(existing, Definition.TokyoData);
            Editing = true;
        }
        return await ShowAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(string org, string slug, CancellationToken ct)
    {
        if (await LoadAsync(org, slug, ct) is { } refused)
        {
            return refused;
        }
        StoredVersion = (await store.GetAsync(org, slug, ct))?.Record.Version ?? 0;
        try
        {
            Definition = JsonSerializer.Deserialize<DashboardDefinition>(Draft, DashboardJson.Options) ?? throw new JsonException();
        }
        catch (JsonException)
        {
            return BadRequest();
        }
        Definition = Definition with { Slug = slug, Organization = Org.Name, Cards = Definition.Cards ?? [], Title = Definition.Title ?? new("") };
        // the page is one form: the dashboard's title travels with every button and is kept in the draft
        if (Request.Form.ContainsKey(nameof(TitleJa)))
        {
            Definition = Definition with { Title = new(TitleJa.Trim(), string.IsNullOrWhiteSpace(TitleEn) ? null : TitleEn.Trim()) };
        }
        // the card form stays open when another button (move, remove) is pressed while it is filled in
        var formOpen = Request.Form.ContainsKey("Form.EditingId");
        var (verb, id) = Do.IndexOf(':', StringComparison.Ordinal) is var i and >= 0 ? (Do[..i], Do[(i + 1)..]) : (Do, "");
        var cards = Definition.Cards.ToList();
        var at = cards.FindIndex(c => c.Id == id);
        switch (verb)
        {
            case "up" when at > 0:
            case "down" when at >= 0 && at < cards.Count - 1:
                var to = verb == "up" ? at - 1 : at + 1;
                (cards[at], cards[to]) = (cards[to], cards[at]);
                Definition = Definition with { Cards = cards };
                Editing = formOpen;
                Status = text["「{0}」を移動しました（まだ保存していません）。", cards[to].Title.For(Language)];
                break;
            case "remove" when at >= 0:
                Status = text["「{0}」を外しました（まだ保存していません）。", cards[at].Title.For(Language)];
                cards.RemoveAt(at);
                Definition = Definition with { Cards = cards };
                Editing = formOpen;
                break;
            case "edit" when at >= 0:
                Form = CardForm.From(cards[at], Definition.TokyoData);
                Editing = true;
                break;
            case "new":
                OpenNew();
                break;
            case "columns":
                Editing = true;
                break;
            case "apply":
                return await ApplyAsync(cards, ct);
            case "save":
                return await SaveAsync(ct);
            case "cancel":
                break;
            default:
                Editing = formOpen;
                break; // a card that is no longer there, or a card that is no longer there: show the draft as it is
        }
        return await ShowAsync(ct);
    }

    private void OpenNew()
    {
        Form = new CardForm();
        Editing = true;
    }

    private async Task<IActionResult> ApplyAsync(List<CardDefinition> cards, CancellationToken ct)
    {
        Editing = true;
        await Form.CheckAsync(Tables, FieldsAsync, Errors, text);
        if (Errors.Any)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return await ShowAsync(ct);
        }
        var at = Form.EditingId.Length == 0 ? -1 : cards.FindIndex(c => c.Id == Form.EditingId);
        var card = Form.ToCard(at >= 0 ? cards[at].Id : NewId(cards));
        if (at >= 0)
        {
            cards[at] = card;
        }
        else
        {
            cards.Add(card);
        }
        Definition = Definition with { Cards = cards, TokyoData = DataJsonRoles.With(Definition.TokyoData, card.Source, Form.DataJsonRole) };
        Editing = false;
        Status = text["「{0}」をプレビューに反映しました。まだ保存していません。", card.Title.For(Language)];
        return await ShowAsync(ct);
    }

    private async Task<IActionResult> SaveAsync(CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(Definition.Title.Ja))
        {
            Errors.Add("DashTitleJa", "field-dash-title-ja", text["ダッシュボードのタイトル（日本語）を入力してください。"]);
        }
        else
        {
            try
            {
                await store.SaveAsync(Org, Definition, "カード編集フォームで保存", ct);
                return Redirect(BasePath);
            }
            catch (DashboardWriteException e)
            {
                // the editor's right was checked for this request: a refusal here is about the definition or its sources
                Errors.Add("", "cards-h", English ? e.MessageEn : e.Message);
            }
        }
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return await ShowAsync(ct);
    }

    private static string NewId(List<CardDefinition> cards)
    {
        for (var n = cards.Count + 1; ; n++)
        {
            var id = "card-" + n.ToString(CultureInfo.InvariantCulture);
            if (cards.All(c => c.Id != id))
            {
                return id;
            }
        }
    }

    /// <summary>Not found, not logged in (the login page) or not an editor (403); null when the user may edit.</summary>
    private async Task<IActionResult?> LoadAsync(string org, string slug, CancellationToken ct)
    {
        var o = await store.OrganizationAsync(org, ct);
        if (o is null)
        {
            return NotFound();
        }
        if (!user.IsAuthenticated)
        {
            return Challenge();
        }
        if (!await store.CanEditAsync(o, ct))
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }
        Org = o;
        Slug = slug;
        Tables = await sourceTables.OfAsync(o, ct);
        return null;
    }

    private readonly Dictionary<string, IReadOnlyList<DsField>?> _fields = new(StringComparer.Ordinal);

    private async Task<IReadOnlyList<DsField>?> FieldsAsync(string resourceId)
    {
        if (!_fields.TryGetValue(resourceId, out var f))
        {
            f = Tables.Any(t => t.ResourceId == resourceId) ? await sourceTables.FieldsAsync(resourceId, HttpContext.RequestAborted) : null;
            _fields[resourceId] = f;
        }
        return f;
    }

    private async Task<IActionResult> ShowAsync(CancellationToken ct)
    {
        TitleJa = Definition.Title.Ja;
        TitleEn = Definition.Title.En ?? "";
        if (Editing)
        {
            if (string.IsNullOrEmpty(Form.Source) && Tables.Count > 0)
            {
                Form.Source = Tables[0].ResourceId;
            }
            if (string.IsNullOrEmpty(Form.SecondSource))
            {
                Form.SecondSource = Form.Source;
            }
            MainFields = await FieldsAsync(Form.Source) ?? [];
            SecondFields = await FieldsAsync(Form.SecondSource) ?? [];
        }
        var ids = Definition.Cards.SelectMany(SourceQueries.Of).Select(q => q.Resource).Distinct().ToList();
        Preview = await data.ComputeAsync(Definition, await store.ReadableAsync(ids, ct), ct);
        return Page();
    }

    /// <summary>The card as the dashboard page draws it (its default range), for the preview.</summary>
    public CardView PreviewOf(CardDefinition card)
    {
        var shown = ViewModel.Cut(card, Preview.Cards[card.Id], null);
        var source = Tables.FirstOrDefault(t => t.ResourceId == card.Source) is { } t ? (t.DatasetName, t.DatasetTitle) : ((string, string)?)null;
        return new CardView(card, shown, new ChartModel("preview-" + card.Id, card.Title.For(Language), card.Chart, shown, Language), Language, BasePath, source, Preview: true);
    }

    public string ColumnLabel(DsField f) => $"{f.Id}（{CardForm.TypeName(f.Type, text)}）";

    public string KindLabel(ComputationKind k) => k switch
    {
        ComputationKind.CountPerDay => text["日別の件数（行数）"],
        ComputationKind.SumPerDay => text["日別の合計（値の列の合計）"],
        ComputationKind.CountByCategory => text["区分別の件数（例: 年代別）"],
        ComputationKind.CountPerDayByCategory => text["日別・区分別の件数（積み上げ）"],
        ComputationKind.Ratio => text["割合（例: 陽性率）: 日別の値 ÷ 2つ目の系列"],
        ComputationKind.LatestColumns => text["最新日の列の値（例: 検査陽性者の状況の内訳）"],
        _ => k.ToString(),
    };

    public string ChartLabel(ChartKind k) => k switch
    {
        ChartKind.Bar => text["棒グラフ"],
        ChartKind.StackedBar => text["積み上げ棒グラフ"],
        ChartKind.Line => text["折れ線グラフ"],
        ChartKind.BarLine => text["棒グラフと7日間移動平均の線"],
        ChartKind.Number => text["数値（最新の値と前日比）"],
        ChartKind.Table => text["表"],
        ChartKind.Box => text["内訳の図（合計と区分ごとの内訳、検査陽性者の状況）"],
        _ => k.ToString(),
    };
}
