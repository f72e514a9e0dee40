using System.Globalization;

namespace OpenGov.Council.Contests.Pages;

/// <summary>The call form's fields (bound as Input.*): what <see cref="ContestInput"/> takes, as typed in a browser.</summary>
public sealed class ContestForm
{
    /// <summary>Empty rubric lines offered below the existing ones (no JavaScript: save to get more).</summary>
    public const int BlankCriteria = 3;

    public string? Slug { get; set; }
    public string? Kind { get; set; }
    public string? Title { get; set; }
    public string? TitleEn { get; set; }
    public string? Rules { get; set; }
    public string? RulesEn { get; set; }
    public string? Eligibility { get; set; }
    public string? EligibilityEn { get; set; }
    public string? Prizes { get; set; }
    public string? PrizesEn { get; set; }
    public string? Categories { get; set; }
    public string? Opens { get; set; }
    public string? Deadline { get; set; }
    public string? JudgingCloses { get; set; }
    public string? Ceremony { get; set; }
    public string? Judges { get; set; }
    public bool PublishResults { get; set; }

    /// <summary>The call is public (a new contest starts as a draft).</summary>
    public bool Published { get; set; }

    public List<CriterionForm> Criteria { get; set; } = [];

    /// <summary>The input for the editor; lines left wholly empty are dropped, a weight or max score that is not a number is refused.</summary>
    public ContestInput ToInput() => new(
        Slug, Kind, Title, TitleEn, Rules, RulesEn, Categories, Opens, Deadline, JudgingCloses, Ceremony,
        [.. Criteria.Where(k => !k.IsBlank).Select(k => k.ToInput())],
        Eligibility, EligibilityEn, Prizes, PrizesEn, Judges ?? "", PublishResults, Published);

    public static ContestForm From(Contest c, string? ceremonySlug, IEnumerable<string> judges) => new()
    {
        Slug = c.Slug,
        Kind = c.Kind,
        Title = c.Title,
        TitleEn = c.TitleEn,
        Rules = c.Rules,
        RulesEn = c.RulesEn,
        Eligibility = c.Eligibility,
        EligibilityEn = c.EligibilityEn,
        Prizes = c.Prizes,
        PrizesEn = c.PrizesEn,
        Categories = c.Categories,
        Opens = ContestText.Input(c.OpensAt),
        Deadline = ContestText.Input(c.Deadline),
        JudgingCloses = ContestText.Input(c.JudgingClosesAt),
        Ceremony = ceremonySlug,
        Judges = string.Join('\n', judges),
        PublishResults = c.PublishResults,
        Published = c.Published,
        Criteria = [.. c.Criteria.OrderBy(k => k.Order).Select(CriterionForm.From)],
    };

    /// <summary>The lines to show: those typed or saved, then empty ones to add (none once the rubric is fixed).</summary>
    public List<CriterionForm> Rows(bool fixedRubric) =>
        fixedRubric ? Criteria : [.. Criteria.Where(k => !k.IsBlank), .. Enumerable.Range(0, BlankCriteria).Select(_ => new CriterionForm())];
}

/// <summary>One rubric line of the form.</summary>
public sealed class CriterionForm
{
    public string? Name { get; set; }
    public string? NameEn { get; set; }
    public string? Weight { get; set; }
    public string? MaxScore { get; set; }
    public string? Description { get; set; }
    public string? DescriptionEn { get; set; }

    public bool IsBlank => new[] { Name, NameEn, Weight, MaxScore, Description, DescriptionEn }.All(string.IsNullOrWhiteSpace);

    public CriterionInput ToInput()
    {
        var weight = Number(Weight);
        var max = Number(MaxScore);
        if ((weight is null && !string.IsNullOrWhiteSpace(Weight)) || (max is null && !string.IsNullOrWhiteSpace(MaxScore)) || (max is { } m && m != Math.Floor(m)))
        {
            throw CouncilException.Invalid("criteria", "審査基準「{0}」の重みと満点は数で入力してください（満点は整数）。", Name?.Trim() ?? "");
        }

        return new(Name, NameEn, weight, max is { } x && x is >= int.MinValue and <= int.MaxValue ? (int)x : null, Description, DescriptionEn);
    }

    public static CriterionForm From(ContestCriterion k) => new()
    {
        Name = k.Name,
        NameEn = k.NameEn,
        Weight = k.Weight.ToString("0.##", CultureInfo.InvariantCulture),
        MaxScore = k.MaxScore.ToString(CultureInfo.InvariantCulture),
        Description = k.Description,
        DescriptionEn = k.DescriptionEn,
    };

    private static double? Number(string? text)
    {
        var t = Tabular.TextNormalizer.ToHalfWidthDigits(text?.Trim() ?? "");
        return double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v : null;
    }
}

/// <summary>What the call form partial needs: the page (errors, language) and whether the contest is new (its URL name may be typed).</summary>
public sealed record ContestFormView(ContestFormPage Page, bool IsNew);
