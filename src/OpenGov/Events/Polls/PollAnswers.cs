using OpenGov.Events.Questions;

namespace OpenGov.Events.Polls;

/// <summary>The rule of a poll answer: the poll open, one answer of the poll's kind.</summary>
public static class PollAnswers
{
    /// <summary>
    /// Checks an answer against its poll (open, the right kind of answer) and builds the row; throws the refusal.
    /// Whether the participant already answered is the caller's check (and the unique index's).
    /// </summary>
    public static PollResponse Build(Poll poll, string participantId, IReadOnlyList<long> chosen, int? rating, string? words)
    {
        if (poll.State == "draft")
        {
            throw EventException.NotFound("poll");
        }

        if (poll.State != "open")
        {
            throw new EventException(409, "closed", "この投票は締め切られました。", "The poll is closed.");
        }

        var response = new PollResponse { PollId = poll.Id, Round = poll.Round, ParticipantId = participantId };
        switch (poll.Kind)
        {
            case PollKinds.Single or PollKinds.Leaderboard:
                if (chosen.Count != 1 || !poll.Options.Any(o => o.Id == chosen[0]))
                {
                    throw EventException.Invalid("選択肢を1つ選んでください。", "Choose exactly one option.");
                }

                break;
            case PollKinds.Multiple:
                if (chosen.Count == 0 || !chosen.All(c => poll.Options.Any(o => o.Id == c)))
                {
                    throw EventException.Invalid("選択肢を1つ以上選んでください。", "Choose one or more options.");
                }

                break;
            case PollKinds.Rating:
                if (rating is not { } r || r < 1 || r > poll.MaxRating)
                {
                    throw EventException.Invalid($"1～{poll.MaxRating}で評価してください。", $"rating must be 1 to {poll.MaxRating}.");
                }

                response.Rating = r;
                break;
            case PollKinds.Words:
                words ??= "";
                if (words.Length == 0 || QuestionRules.Length(words) > QuestionRules.MaxWordsLength)
                {
                    throw EventException.Invalid($"ことばを1～{QuestionRules.MaxWordsLength}文字で入力してください。", $"Words: 1 to {QuestionRules.MaxWordsLength} characters.");
                }

                response.Text = words;
                break;
        }

        response.Choices = string.Join(',', chosen);
        return response;
    }
}
