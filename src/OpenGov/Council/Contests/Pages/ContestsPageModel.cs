using Microsoft.Extensions.Localization;
using OpenGov.Council.Pages;

namespace OpenGov.Council.Contests.Pages;

/// <summary>What the contest pages share beyond the council's: dates in the user's language, kinds and states.</summary>
public abstract class ContestsPageModel : CouncilPageModel
{
    protected ContestsPageModel(IStringLocalizer<CouncilText> text)
        : base(text) => Text = text;

    protected IStringLocalizer<CouncilText> Text { get; }

    public string When(DateTime utc) => ContestText.Format(utc, English);

    public string Kind(string kind) => Text[ContestKinds.Label(kind)];

    public string State(string state) => Text[EntryStates.Label(state)];
}
