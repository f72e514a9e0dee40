using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenGov.Events.Polls;
using OpenGov.Events.Questions;

namespace OpenGov.Events.Pages;

/// <summary>The phone-first question page of an event: post, vote, answer polls. Works with forms alone.</summary>
public sealed class AskModel(EventQueries events, QuestionService questions, PollService polls) : PageModel
{
    public Event Event { get; private set; } = null!;

    public List<QuestionView> Questions { get; private set; } = [];

    public List<PollView> Polls { get; private set; } = [];

    public HashSet<long> Voted { get; private set; } = [];

    public HashSet<long> AnsweredPolls { get; private set; } = [];

    /// <summary>The participant's own questions when the event forbids voting for them (no vote button), else empty.</summary>
    public HashSet<long> OwnUnvotable { get; private set; } = [];

    public QuestionView? Highlighted { get; private set; }

    public string? Error { get; private set; }

    public string? Notice { get; private set; }

    [BindProperty(SupportsGet = true)]
    public string Sort { get; set; } = "votes";

    [BindProperty]
    public string? Text { get; set; }

    [BindProperty]
    public string? AuthorName { get; set; }

    [BindProperty]
    public string? Affiliation { get; set; }

    [BindProperty]
    public string? Idem { get; set; }

    public string NewKey { get; } = Guid.NewGuid().ToString("N");

    public bool English => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";

    public string Pick(string ja, string en) => English && !string.IsNullOrWhiteSpace(en) ? en : ja;

    public string StateJson { get; private set; } = "{}";

    private async Task<bool> LoadAsync(string code, CancellationToken ct)
    {
        var ev = await events.FindByCodeAsync(code, ct);
        if (ev is null)
        {
            return false;
        }

        Event = ev;
        Sort = Sort == "time" ? "time" : "votes";
        var participant = Participants.Id(HttpContext);
        Questions = await events.PublicQuestionsAsync(ev, Sort, ct);
        Polls = await polls.ListAsync(ev, false, ct);
        Voted = await events.VotedQuestionIdsAsync(ev, participant, ct);
        AnsweredPolls = await polls.AnsweredPollIdsAsync(ev, participant, ct);
        var ownVotes = questions.OwnVotesAllowed(ev);
        // all the participant's questions go to the script: a setting changed during the event reaches the page live
        var own = await events.OwnQuestionIdsAsync(ev, participant, ct);
        OwnUnvotable = ownVotes ? [] : own;
        Highlighted = Questions.FirstOrDefault(q => q.Highlighted);
        StateJson = EventJson.Serialize(new
        {
            lastEventId = ev.LastSeq,
            highlighted = ev.HighlightedQuestionId,
            questions = Questions,
            polls = Polls,
            voted = Voted,
            own,
            ownVotes,
            nodeOwnVotes = questions.NodeAllowsOwnVotes,
            sort = Sort,
            code = ev.QuestionCode,
        });
        return true;
    }

    public async Task<IActionResult> OnGetAsync(string code, string? msg, CancellationToken ct)
    {
        if (!await LoadAsync(code, ct))
        {
            return NotFound();
        }

        Notice = msg switch
        {
            "posted" => Event.PreModeration ? "質問を受け付けました。モデレータの確認後に表示されます。" : "質問を投稿しました。",
            "held" => "質問を受け付けました。モデレータの確認後に表示されます。",
            "voted" => "投票しました。",
            "unvoted" => "投票を取り消しました。",
            "answered" => "回答しました。",
            _ => null,
        };
        return Page();
    }

    private async Task<IActionResult> RunAsync(string code, Func<Event, string, Task<string>> action, CancellationToken ct)
    {
        var ev = await events.FindByCodeAsync(code, ct);
        if (ev is null)
        {
            return NotFound();
        }

        try
        {
            var msg = await action(ev, Participants.ForWrite(HttpContext));
            return Redirect($"/q/{ev.QuestionCode}?msg={msg}" + (Sort == "time" ? "&sort=time" : ""));
        }
        catch (Exception ex) when (EventException.From(ex) is { } e)
        {
            await LoadAsync(code, ct);
            Error = e.Localized;
            Response.StatusCode = e.Status;
            return Page();
        }
    }

    public Task<IActionResult> OnPostAskAsync(string code, CancellationToken ct) => RunAsync(code, async (ev, p) =>
    {
        var r = await questions.PostQuestionAsync(ev, p, Text, AuthorName, Affiliation, Idem, ct: ct);
        return r.Json.Contains("\"state\":\"approved\"", StringComparison.Ordinal) ? "posted" : "held";
    }, ct);

    public Task<IActionResult> OnPostVoteAsync(string code, long id, CancellationToken ct) => RunAsync(code, async (ev, p) =>
    {
        await questions.VoteAsync(ev, p, id, Idem, ct);
        return "voted";
    }, ct);

    public Task<IActionResult> OnPostUnvoteAsync(string code, long id, CancellationToken ct) => RunAsync(code, async (ev, p) =>
    {
        await questions.UnvoteAsync(ev, p, id, Idem, ct);
        return "unvoted";
    }, ct);

    public Task<IActionResult> OnPostPollAsync(string code, long poll, List<long>? choices, int? rating, string? words, CancellationToken ct) => RunAsync(code, async (ev, p) =>
    {
        await polls.AnswerAsync(ev, p, poll, choices, rating, words, Idem, ct);
        return "answered";
    }, ct);
}
