namespace OpenGov.Events.Writing;

/// <summary>
/// What a log entry says: the changed questions and polls as moderators see them, and as the public sees them
/// (questions not approved and draft polls only as removed ids).
/// </summary>
public static class LogEntries
{
    /// <summary>The full and public JSON of a change of questions alone (the batched writes).</summary>
    public static (string Full, string? Public) RenderQuestions(long? highlighted, IReadOnlyList<Question> questions) => Render(highlighted, questions, []);

    /// <summary>The full and public JSON of a change of one poll's results (the batched answers).</summary>
    public static (string Full, string? Public) RenderPoll(long? highlighted, PollView poll) => Render(highlighted, [], [poll]);

    /// <summary>The full and public JSON of a change; <paramref name="voteOwnQuestion"/> is the event's setting when the change set it.</summary>
    public static (string Full, string? Public) Render(long? highlighted, IReadOnlyList<Question> questions, IReadOnlyList<PollView> polls, bool? voteOwnQuestion = null)
    {
        var full = new ChangeView(highlighted, questions.Select(q => QuestionView.Of(q, highlighted, true)).ToList(), [], polls, [], voteOwnQuestion);
        var pubQuestions = questions.Where(q => q.State == QuestionStates.Approved).Select(q => QuestionView.Of(q, highlighted, false)).ToList();
        var removed = questions.Where(q => q.State != QuestionStates.Approved).Select(q => q.Id).ToList();
        var pubPolls = polls.Where(p => p.State != "draft").ToList();
        var removedPolls = polls.Where(p => p.State == "draft").Select(p => p.Id).ToList();
        var pub = new ChangeView(highlighted, pubQuestions, removed, pubPolls, removedPolls, voteOwnQuestion);
        return (EventJson.Serialize(full), EventJson.Serialize(pub));
    }
}
