using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using OpenGov.Accounts;
using OpenGov.Storage;

namespace OpenGov.Events;

/// <summary>The answer of a write, replayable for a repeated Idempotency-Key.</summary>
public sealed record WriteResult(int Status, string Json, bool Replayed);

/// <summary>
/// Reads and writes events, questions and polls. Every write runs in one transaction that first takes the event's
/// next log sequence number (which also serialises writers of one event), changes the data, appends the log entry
/// and, when an Idempotency-Key was sent, records the answer; the live streams are told after the commit.
/// </summary>
public sealed class EventService(OpenGovDb db, CurrentUser user, EventRateLimits limits, EventBus bus, EventWriter writer)
{
    public const int MaxQuestionLength = 500;
    public const int MaxNameLength = 50;
    public const int MaxAffiliationLength = 100;
    public const int MaxWordsLength = 30;

    public OpenGovDb Db => db;

    // ---- reading ----

    public Task<Event?> FindBySlugAsync(string slug, CancellationToken ct = default) =>
        db.Set<Event>().FirstOrDefaultAsync(e => e.Slug == slug, ct);

    public Task<Event?> FindByCodeAsync(string code, CancellationToken ct = default)
    {
        var normalized = (code ?? "").Trim().ToLowerInvariant();
        return db.Set<Event>().FirstOrDefaultAsync(e => e.QuestionCode == normalized, ct);
    }

    public Task<Event?> FindBySecretAsync(string secret, CancellationToken ct = default) =>
        db.Set<Event>().FirstOrDefaultAsync(e => e.PresenterSecret == secret, ct);

    public async Task<Event> RequireBySlugAsync(string slug, CancellationToken ct = default) =>
        await FindBySlugAsync(slug, ct) ?? throw EventException.NotFound();

    public async Task<Event> RequireByCodeAsync(string code, CancellationToken ct = default) =>
        await FindByCodeAsync(code, ct) ?? throw EventException.NotFound();

    public Task<Event?> LoadWithProgrammeAsync(string slug, CancellationToken ct = default) =>
        db.Set<Event>().AsNoTracking().Include(e => e.Programme.OrderBy(p => p.Order)).ThenInclude(p => p.Speakers.OrderBy(s => s.Order))
            .AsSplitQuery().FirstOrDefaultAsync(e => e.Slug == slug, ct);

    public Task<List<Event>> ListAsync(CancellationToken ct = default) =>
        db.Set<Event>().AsNoTracking().OrderByDescending(e => e.StartsAt).ToListAsync(ct);

    /// <summary>The signed-in user's role in the event (moderator, panelist) or null.</summary>
    public async Task<string?> RoleAsync(Event ev, CancellationToken ct = default)
    {
        var id = user.Id;
        return id is null ? null : await db.Set<EventModerator>().AsNoTracking()
            .Where(m => m.EventId == ev.Id && m.UserId == id).Select(m => m.Role).FirstOrDefaultAsync(ct);
    }

    public async Task<bool> CanModerateAsync(Event ev, CancellationToken ct = default) =>
        user.IsSysadmin || await RoleAsync(ev, ct) == EventRoles.Moderator;

    /// <summary>Zoom details: panelists and moderators of the event, and sysadmins.</summary>
    public async Task<bool> CanSeeZoomAsync(Event ev, CancellationToken ct = default) =>
        user.IsSysadmin || await RoleAsync(ev, ct) is not null;

    public async Task RequireModeratorAsync(Event ev, CancellationToken ct = default)
    {
        if (!user.IsAuthenticated)
        {
            throw new EventException(401, "unauthorized", "ログインしてください。", "Login or an API token is required.");
        }

        if (!await CanModerateAsync(ev, ct))
        {
            throw EventException.Forbidden();
        }
    }

    /// <summary>Approved questions: pinned first, then by votes or by time.</summary>
    public async Task<List<QuestionView>> PublicQuestionsAsync(Event ev, string sort = "votes", CancellationToken ct = default)
    {
        var list = await db.Set<Question>().AsNoTracking().Where(q => q.EventId == ev.Id && q.State == QuestionStates.Approved).ToListAsync(ct);
        return Sort(list, sort).Select(q => QuestionView.Of(q, ev.HighlightedQuestionId, false)).ToList();
    }

    /// <summary>All questions for the moderator console (merged ones left out).</summary>
    public async Task<List<QuestionView>> ModeratorQuestionsAsync(Event ev, string sort = "votes", CancellationToken ct = default)
    {
        var list = await db.Set<Question>().AsNoTracking().Where(q => q.EventId == ev.Id && q.State != QuestionStates.Merged).ToListAsync(ct);
        return Sort(list, sort).Select(q => QuestionView.Of(q, ev.HighlightedQuestionId, true)).ToList();
    }

    private static IEnumerable<Question> Sort(IEnumerable<Question> list, string sort) => sort == "time"
        ? list.OrderByDescending(q => q.Pinned).ThenByDescending(q => q.Created).ThenByDescending(q => q.Id)
        : list.OrderByDescending(q => q.Pinned).ThenByDescending(q => q.Votes).ThenBy(q => q.Created).ThenBy(q => q.Id);

    public async Task<HashSet<long>> VotedQuestionIdsAsync(Event ev, string participantId, CancellationToken ct = default) =>
        [.. await db.Set<QuestionVote>().AsNoTracking().Where(v => v.EventId == ev.Id && v.ParticipantId == participantId).Select(v => v.QuestionId).ToListAsync(ct)];

    public async Task<QuestionView?> HighlightedAsync(Event ev, CancellationToken ct = default)
    {
        if (ev.HighlightedQuestionId is not { } id)
        {
            return null;
        }

        var q = await db.Set<Question>().AsNoTracking().FirstOrDefaultAsync(x => x.Id == id && x.EventId == ev.Id, ct);
        return q is null ? null : QuestionView.Of(q, id, false);
    }

    public async Task<long> LastSeqAsync(string eventId, CancellationToken ct = default) =>
        await db.Set<Event>().AsNoTracking().Where(e => e.Id == eventId).Select(e => e.LastSeq).FirstOrDefaultAsync(ct);

    // ---- creating events ----

    public static string NewCode()
    {
        const string alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
        Span<char> chars = stackalloc char[6];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
        }

        return new string(chars);
    }

    public static string NewSecret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public async Task<Event> CreateAsync(Event ev, CancellationToken ct = default)
    {
        if (!user.IsSysadmin)
        {
            throw EventException.Forbidden();
        }

        ev.Slug = (ev.Slug ?? "").Trim().ToLowerInvariant();
        if (ev.Slug.Length is < 2 or > 100 || !ev.Slug.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_'))
        {
            throw EventException.Invalid("スラッグは2～100文字の英小文字・数字・ハイフンで指定してください。", "slug: 2 to 100 characters a-z, 0-9, '-' or '_'.");
        }

        if (string.IsNullOrWhiteSpace(ev.TitleJa))
        {
            throw EventException.Invalid("タイトルを入力してください。", "title_ja is required.");
        }

        if (ev.EndsAt < ev.StartsAt)
        {
            throw EventException.Invalid("終了日時は開始日時より後にしてください。", "ends_at must not be before starts_at.");
        }

        if (await db.Set<Event>().AnyAsync(e => e.Slug == ev.Slug, ct))
        {
            throw new EventException(409, "conflict", "このスラッグは使われています。", "An event with this slug exists.");
        }

        ev.QuestionCode = string.IsNullOrWhiteSpace(ev.QuestionCode) ? NewCode() : ev.QuestionCode.Trim().ToLowerInvariant();
        if (await db.Set<Event>().AnyAsync(e => e.QuestionCode == ev.QuestionCode, ct))
        {
            throw new EventException(409, "conflict", "この質問コードは使われています。", "The question code is in use.");
        }

        ev.PresenterSecret = string.IsNullOrWhiteSpace(ev.PresenterSecret) ? NewSecret() : ev.PresenterSecret;
        db.Add(ev);
        await db.SaveChangesAsync(ct);
        return ev;
    }

    public async Task AssignAsync(Event ev, string userNameOrId, string role, CancellationToken ct = default)
    {
        await RequireModeratorAsync(ev, ct);
        if (!EventRoles.IsValid(role))
        {
            throw EventException.Invalid("役割は moderator か panelist です。", "role must be moderator or panelist.");
        }

        var target = await db.Users.FirstOrDefaultAsync(u => u.Name == userNameOrId || u.Id == userNameOrId, ct)
            ?? throw new EventException(404, "not_found", "ユーザーが見つかりません。", "No such user.");
        var existing = await db.Set<EventModerator>().FirstOrDefaultAsync(m => m.EventId == ev.Id && m.UserId == target.Id, ct);
        if (existing is null)
        {
            db.Add(new EventModerator { EventId = ev.Id, UserId = target.Id, Role = role });
        }
        else
        {
            existing.Role = role;
        }

        await db.SaveChangesAsync(ct);
    }

    public async Task UnassignAsync(Event ev, string userNameOrId, CancellationToken ct = default)
    {
        await RequireModeratorAsync(ev, ct);
        var target = await db.Users.FirstOrDefaultAsync(u => u.Name == userNameOrId || u.Id == userNameOrId, ct)
            ?? throw new EventException(404, "not_found", "ユーザーが見つかりません。", "No such user.");
        await db.Set<EventModerator>().Where(m => m.EventId == ev.Id && m.UserId == target.Id).ExecuteDeleteAsync(ct);
    }

    // ---- the write path ----

    /// <summary>What a write changed, for the log entry.</summary>
    public sealed class Change
    {
        public List<Question> Questions { get; } = [];
        public List<long> Polls { get; } = [];
    }

    /// <summary>
    /// Runs <paramref name="action"/> in a transaction with the event's next log sequence number; appends the log
    /// entry; records the answer under the idempotency key; tells live streams after the commit. A repeated key
    /// returns the first answer and changes nothing.
    /// </summary>
    public async Task<WriteResult> WriteAsync(Event ev, string? idempotencyScope, string? idempotencyKey, Func<Change, Task<object>> action, Func<bool>? admit = null, CancellationToken ct = default)
    {
        idempotencyKey = NormalizeKey(idempotencyKey);
        if (idempotencyKey is not null && idempotencyScope is not null)
        {
            var previous = await FindIdempotentAsync(idempotencyScope, idempotencyKey, ct);
            if (previous is not null)
            {
                return previous;
            }
        }

        if (admit is not null && !admit())
        {
            throw RateLimited();
        }

        long seq;
        string json;
        // This node's writes of the event queue in memory (in order with the batched questions and votes) instead of
        // waiting on the database lock with a pooled connection each; the database lock orders the nodes.
        var turn = await writer.TurnAsync(ev.Id, ct);
        var autoSavepoints = db.Database.AutoSavepointsEnabled;
        db.Database.AutoSavepointsEnabled = false; // a failed write rolls back whole: no savepoint round trips
        try
        {
            await using (var tx = await db.Database.BeginTransactionAsync(ct))
            {
                seq = await NextSeqAsync(ev, tx, ct);
                if (idempotencyKey is not null && idempotencyScope is not null
                    && await FindIdempotentAsync(idempotencyScope, idempotencyKey, ct) is { } concurrent)
                {
                    // The same request committed while this one waited for the event's lock.
                    await tx.RollbackAsync(ct);
                    return concurrent;
                }

                var change = new Change();
                var result = await action(change);
                json = EventJson.Serialize(result);
                await db.SaveChangesAsync(ct);
                var (full, pub) = await RenderChangeAsync(ev, change, ct);
                db.Add(new EventLogEntry { EventId = ev.Id, Seq = seq, Kind = "change", Payload = full, PublicPayload = pub });
                if (idempotencyKey is not null && idempotencyScope is not null)
                {
                    db.Add(new IdempotencyRecord { Scope = idempotencyScope, Key = idempotencyKey, Status = 200, Body = json });
                }

                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
            }
        }
        catch (DbUpdateException) when (idempotencyKey is not null && idempotencyScope is not null)
        {
            // A concurrent request with the same key committed first: answer as it did.
            db.ChangeTracker.Clear();
            return await FindIdempotentAsync(idempotencyScope, idempotencyKey, ct)
                ?? throw new EventException(409, "conflict", "同時に更新されました。もう一度お試しください。", "Concurrent update: try again.");
        }
        catch
        {
            db.ChangeTracker.Clear();
            throw;
        }
        finally
        {
            db.Database.AutoSavepointsEnabled = autoSavepoints;
            await turn.DisposeAsync();
        }

        bus.Advanced(ev.Id, seq);
        return new WriteResult(200, json, false);
    }

    private static string? NormalizeKey(string? key)
    {
        key = key?.Trim();
        return string.IsNullOrEmpty(key) ? null : key.Length > 200 ? key[..200] : key;
    }

    private async Task<WriteResult?> FindIdempotentAsync(string scope, string key, CancellationToken ct)
    {
        var rec = await db.Set<IdempotencyRecord>().AsNoTracking().FirstOrDefaultAsync(r => r.Scope == scope && r.Key == key, ct);
        return rec is null ? null : new WriteResult(rec.Status, rec.Body, true);
    }

    /// <summary>
    /// Takes the next sequence number; the row lock (PostgreSQL) or write lock (SQLite) orders writers of the event.
    /// The same statement returns the event's current moderation state, so the write sees fresh settings without
    /// another round trip while the lock is held.
    /// </summary>
    private async Task<long> NextSeqAsync(Event ev, IDbContextTransaction tx, CancellationToken ct)
    {
        var conn = db.Database.GetDbConnection();
        await using var cmd = conn.CreateCommand();
        cmd.Transaction = tx.GetDbTransaction();
        cmd.CommandText = "UPDATE \"event\" SET last_seq = last_seq + 1 WHERE id = @id RETURNING last_seq, highlighted_question_id, pre_moderation, ng_words";
        var p = cmd.CreateParameter();
        p.ParameterName = "@id";
        p.Value = ev.Id;
        cmd.Parameters.Add(p);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            throw EventException.NotFound();
        }

        var seq = Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture);
        long? highlighted = reader.IsDBNull(1) ? null : Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture);
        var preModeration = Convert.ToBoolean(reader.GetValue(2), CultureInfo.InvariantCulture);
        var ngWords = reader.IsDBNull(3) ? "" : reader.GetString(3);
        var entry = db.Entry(ev);
        if (entry.State == EntityState.Detached)
        {
            ev.HighlightedQuestionId = highlighted;
            ev.PreModeration = preModeration;
            ev.NgWords = ngWords;
        }
        else
        {
            // What the database holds now: current and original values, so nothing is written back needlessly.
            entry.Property(e => e.HighlightedQuestionId).CurrentValue = highlighted;
            entry.Property(e => e.HighlightedQuestionId).OriginalValue = highlighted;
            entry.Property(e => e.PreModeration).CurrentValue = preModeration;
            entry.Property(e => e.PreModeration).OriginalValue = preModeration;
            entry.Property(e => e.NgWords).CurrentValue = ngWords;
            entry.Property(e => e.NgWords).OriginalValue = ngWords;
        }

        return seq;
    }

    /// <summary>The full (moderator) and public JSON of a change.</summary>
    private async Task<(string Full, string? Public)> RenderChangeAsync(Event ev, Change change, CancellationToken ct)
    {
        var questions = change.Questions.DistinctBy(q => q.Id).ToList();
        var polls = new List<PollView>();
        foreach (var id in change.Polls.Distinct())
        {
            if (await PollViewAsync(id, ct) is { } view)
            {
                polls.Add(view);
            }
        }

        return Render(ev.HighlightedQuestionId, questions, polls);
    }

    /// <summary>The full and public JSON of a change of questions alone (the batched writes).</summary>
    public static (string Full, string? Public) RenderQuestions(long? highlighted, IReadOnlyList<Question> questions) => Render(highlighted, questions, []);

    /// <summary>The full and public JSON of a change of one poll's results (the batched answers).</summary>
    public static (string Full, string? Public) RenderPoll(long? highlighted, PollView poll) => Render(highlighted, [], [poll]);

    private static (string Full, string? Public) Render(long? highlighted, IReadOnlyList<Question> questions, IReadOnlyList<PollView> polls)
    {
        var full = new ChangeView(highlighted, questions.Select(q => QuestionView.Of(q, highlighted, true)).ToList(), [], polls, []);
        var pubQuestions = questions.Where(q => q.State == QuestionStates.Approved).Select(q => QuestionView.Of(q, highlighted, false)).ToList();
        var removed = questions.Where(q => q.State != QuestionStates.Approved).Select(q => q.Id).ToList();
        var pubPolls = polls.Where(p => p.State != "draft").ToList();
        var removedPolls = polls.Where(p => p.State == "draft").Select(p => p.Id).ToList();
        var pub = new ChangeView(highlighted, pubQuestions, removed, pubPolls, removedPolls);
        return (EventJson.Serialize(full), EventJson.Serialize(pub));
    }

    public static EventException Banned() =>
        new(403, "banned", "このイベントでは投稿できません。", "This participant is banned from the event.");

    public static EventException AlreadyVoted() =>
        new(409, "already_voted", "この質問にはすでに投票しています。", "This participant has already voted for the question.");

    private static EventException RateLimited() =>
        new(429, "rate_limited", "投稿が多すぎます。しばらく待ってから、もう一度お試しください。", "Too many requests from this participant: wait a little and try again.");

    // ---- questions ----

    public static string CleanText(string? text) =>
        (text ?? "").Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Trim();

    private static int Length(string s) => s.EnumerateRunes().Count();

    public static bool ContainsNgWord(Event ev, string text) => ContainsNgWord(ev.NgWords, text);

    public static bool ContainsNgWord(string ngWords, string text)
    {
        var normalized = text.Normalize(NormalizationForm.FormKC).ToLowerInvariant();
        foreach (var line in ngWords.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (normalized.Contains(line.Normalize(NormalizationForm.FormKC).ToLowerInvariant(), StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Posts a question of a participant (or, with <paramref name="source"/> youtube, an imported chat message).</summary>
    public async Task<WriteResult> PostQuestionAsync(Event ev, string participantId, string? text, string? name, string? affiliation, string? idempotencyKey,
        string source = "web", string? externalId = null, CancellationToken ct = default)
    {
        var clean = CleanText(text);
        if (clean.Length == 0)
        {
            throw EventException.Invalid("質問を入力してください。", "The question is empty.");
        }

        if (Length(clean) > MaxQuestionLength)
        {
            throw EventException.Invalid($"質問は{MaxQuestionLength}文字以内で入力してください。", $"The question is longer than {MaxQuestionLength} characters.");
        }

        var cleanName = CleanText(name).Replace('\n', ' ');
        var cleanAffiliation = CleanText(affiliation).Replace('\n', ' ');
        if (Length(cleanName) > MaxNameLength || Length(cleanAffiliation) > MaxAffiliationLength)
        {
            throw EventException.Invalid($"お名前は{MaxNameLength}文字、所属は{MaxAffiliationLength}文字以内で入力してください。", $"Name up to {MaxNameLength} and affiliation up to {MaxAffiliationLength} characters.");
        }

        // Banned participants are refused in the batch, under the event's lock.
        return await FastWriteAsync(ev, new PostWrite(participantId, NormalizeKey(idempotencyKey), clean, cleanName, cleanAffiliation, source, externalId, ct),
            source == "web" ? () => limits.TryQuestion(participantId) : null, ct);
    }

    /// <summary>A question, vote or poll answer: replays a recorded Idempotency-Key, applies the rate limit, then waits for the group commit.</summary>
    private async Task<WriteResult> FastWriteAsync(Event ev, FastWrite write, Func<bool>? admit, CancellationToken ct)
    {
        if (write.Key is not null && await FindIdempotentAsync(write.Scope!, write.Key, ct) is { } previous)
        {
            return previous;
        }

        if (admit is not null && !admit())
        {
            throw RateLimited();
        }

        return await writer.WriteAsync(ev.Id, write);
    }

    /// <summary>One vote per participant per question; a repeated vote is refused and counts nothing.</summary>
    public Task<WriteResult> VoteAsync(Event ev, string participantId, long questionId, string? idempotencyKey, CancellationToken ct = default) =>
        FastWriteAsync(ev, new VoteWrite(participantId, NormalizeKey(idempotencyKey), questionId, ct), () => limits.TryVote(participantId), ct);

    public static readonly string[] Actions = ["approve", "dismiss", "highlight", "unhighlight", "answer", "unanswer", "pin", "unpin", "edit", "merge"];

    /// <summary>A moderator's action on a question.</summary>
    public async Task<WriteResult> ModerateAsync(Event ev, long questionId, string action, string? text, long? into, string? idempotencyKey, CancellationToken ct = default)
    {
        await RequireModeratorAsync(ev, ct);
        if (!Actions.Contains(action))
        {
            throw EventException.Invalid("不明な操作です。", $"Unknown action '{action}'; one of {string.Join(", ", Actions)}.");
        }

        var clean = CleanText(text);
        if (action == "edit" && (clean.Length == 0 || Length(clean) > MaxQuestionLength))
        {
            throw EventException.Invalid($"質問は1～{MaxQuestionLength}文字で入力してください。", $"The question must have 1 to {MaxQuestionLength} characters.");
        }

        return await WriteAsync(ev, "user:" + user.Id, idempotencyKey, async change =>
        {
            var q = await db.Set<Question>().FirstOrDefaultAsync(x => x.Id == questionId && x.EventId == ev.Id, ct)
                ?? throw EventException.NotFound("question");
            if (q.State == QuestionStates.Merged)
            {
                throw new EventException(409, "merged", "この質問は統合済みです。", "The question was merged into another.");
            }

            change.Questions.Add(q);
            switch (action)
            {
                case "approve":
                    q.State = QuestionStates.Approved;
                    break;
                case "dismiss":
                    q.State = QuestionStates.Dismissed;
                    if (ev.HighlightedQuestionId == q.Id)
                    {
                        ev.HighlightedQuestionId = null;
                    }

                    break;
                case "highlight":
                    if (ev.HighlightedQuestionId is { } old && old != q.Id && await db.Set<Question>().FindAsync([old], ct) is { } previous)
                    {
                        change.Questions.Add(previous);
                    }

                    q.State = QuestionStates.Approved;
                    ev.HighlightedQuestionId = q.Id;
                    break;
                case "unhighlight":
                    if (ev.HighlightedQuestionId == q.Id)
                    {
                        ev.HighlightedQuestionId = null;
                    }

                    break;
                case "answer":
                    q.Answered = true;
                    if (ev.HighlightedQuestionId == q.Id)
                    {
                        ev.HighlightedQuestionId = null;
                    }

                    break;
                case "unanswer":
                    q.Answered = false;
                    break;
                case "pin":
                    q.Pinned = true;
                    break;
                case "unpin":
                    q.Pinned = false;
                    break;
                case "edit":
                    q.Text = clean;
                    q.Edited = DateTime.UtcNow;
                    break;
                case "merge":
                    await MergeAsync(ev, q, into, change, ct);
                    break;
            }

            await db.SaveChangesAsync(ct);
            return new { question = QuestionView.Of(q, ev.HighlightedQuestionId, true) };
        }, null, ct);
    }

    /// <summary>Merges <paramref name="source"/> into the question <paramref name="into"/>: each participant's vote counts once.</summary>
    private async Task MergeAsync(Event ev, Question source, long? into, Change change, CancellationToken ct)
    {
        if (into is not { } targetId || targetId == source.Id)
        {
            throw EventException.Invalid("統合先の質問を指定してください。", "merge needs 'into', another question of the event.");
        }

        var target = await db.Set<Question>().FirstOrDefaultAsync(x => x.Id == targetId && x.EventId == ev.Id, ct) ?? throw EventException.NotFound("question");
        if (target.State is QuestionStates.Merged or QuestionStates.Dismissed)
        {
            throw new EventException(409, "merged", "統合先の質問は統合済みか却下済みです。", "The target question was merged or dismissed.");
        }

        var targetVoters = await db.Set<QuestionVote>().Where(v => v.QuestionId == target.Id).Select(v => v.ParticipantId).ToListAsync(ct);
        var known = targetVoters.ToHashSet();
        var sourceVotes = await db.Set<QuestionVote>().Where(v => v.QuestionId == source.Id).ToListAsync(ct);
        db.RemoveRange(sourceVotes);
        foreach (var v in sourceVotes.Where(v => known.Add(v.ParticipantId)))
        {
            db.Add(new QuestionVote { QuestionId = target.Id, ParticipantId = v.ParticipantId, EventId = ev.Id, Created = v.Created });
        }

        // The author of the duplicate supports the target too.
        if (!string.IsNullOrEmpty(source.ParticipantId) && source.ParticipantId != target.ParticipantId && known.Add(source.ParticipantId))
        {
            db.Add(new QuestionVote { QuestionId = target.Id, ParticipantId = source.ParticipantId, EventId = ev.Id });
        }

        target.Votes = known.Count;
        source.Votes = 0;
        source.State = QuestionStates.Merged;
        source.MergedIntoId = target.Id;
        if (ev.HighlightedQuestionId == source.Id)
        {
            ev.HighlightedQuestionId = target.Id;
        }

        change.Questions.Add(target);
    }

    /// <summary>Bans the participant who wrote a question (or given by id) from posting and voting.</summary>
    public async Task<WriteResult> BanAsync(Event ev, string? participantId, long? questionId, CancellationToken ct = default)
    {
        await RequireModeratorAsync(ev, ct);
        if (string.IsNullOrEmpty(participantId) && questionId is { } qid)
        {
            participantId = await db.Set<Question>().Where(q => q.Id == qid && q.EventId == ev.Id).Select(q => q.ParticipantId).FirstOrDefaultAsync(ct);
        }

        if (string.IsNullOrEmpty(participantId))
        {
            throw EventException.Invalid("参加者を指定してください。", "participant or question is required.");
        }

        return await WriteAsync(ev, null, null, async change =>
        {
            if (!await db.Set<EventBan>().AnyAsync(b => b.EventId == ev.Id && b.ParticipantId == participantId, ct))
            {
                db.Add(new EventBan { EventId = ev.Id, ParticipantId = participantId });
            }

            // Their questions leave the public list.
            var theirs = await db.Set<Question>().Where(q => q.EventId == ev.Id && q.ParticipantId == participantId && q.State == QuestionStates.Approved).ToListAsync(ct);
            foreach (var q in theirs)
            {
                q.State = QuestionStates.Dismissed;
                if (ev.HighlightedQuestionId == q.Id)
                {
                    ev.HighlightedQuestionId = null;
                }

                change.Questions.Add(q);
            }

            await db.SaveChangesAsync(ct);
            return new { banned = participantId, dismissed = theirs.Count };
        }, null, ct);
    }

    public async Task<WriteResult> SettingsAsync(Event ev, bool? preModeration, string? ngWords, CancellationToken ct = default)
    {
        await RequireModeratorAsync(ev, ct);
        if (ngWords is { Length: > 20000 })
        {
            throw EventException.Invalid("NGワードが長すぎます。", "ng_words is too long.");
        }

        return await WriteAsync(ev, null, null, async _ =>
        {
            if (preModeration is { } pm)
            {
                ev.PreModeration = pm;
            }

            if (ngWords is not null)
            {
                ev.NgWords = string.Join('\n', ngWords.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct());
            }

            await db.SaveChangesAsync(ct);
            return new { preModeration = ev.PreModeration, ngWords = ev.NgWords.Split('\n', StringSplitOptions.RemoveEmptyEntries) };
        }, null, ct);
    }

    // ---- polls ----

    public async Task<List<PollView>> PollsAsync(Event ev, bool includeDrafts, CancellationToken ct = default)
    {
        var polls = await db.Set<Poll>().AsNoTracking().Include(p => p.Options)
            .Where(p => p.EventId == ev.Id && (includeDrafts || p.State != "draft")).OrderBy(p => p.Id).ToListAsync(ct);
        return await PollViewsAsync(db, polls, ct);
    }

    public Task<PollView?> PollViewAsync(long pollId, CancellationToken ct = default) => LoadPollViewAsync(db, pollId, ct);

    /// <summary>
    /// A poll with its results, counted in the database: the answers grouped by round and content (one row per
    /// distinct answer, not per participant), so a poll with thousands of answers reads a few rows.
    /// </summary>
    public static async Task<PollView?> LoadPollViewAsync(OpenGovDb db, long pollId, CancellationToken ct = default)
    {
        var poll = await db.Set<Poll>().AsNoTracking().Include(p => p.Options).FirstOrDefaultAsync(p => p.Id == pollId, ct);
        return poll is null ? null : (await PollViewsAsync(db, [poll], ct))[0];
    }

    /// <summary>The results of several polls (loaded with their options) in one query.</summary>
    public static async Task<List<PollView>> PollViewsAsync(OpenGovDb db, IReadOnlyList<Poll> polls, CancellationToken ct = default)
    {
        var ids = polls.Select(p => p.Id).ToList();
        var groups = (await db.Set<PollResponse>().AsNoTracking().Where(r => ids.Contains(r.PollId))
            .GroupBy(r => new { r.PollId, r.Round, r.Choices, r.Rating, r.Text })
            .Select(g => new { g.Key.PollId, g.Key.Round, g.Key.Choices, g.Key.Rating, g.Key.Text, Count = g.Count() })
            .ToListAsync(ct)).ToLookup(g => g.PollId);
        return polls.Select(poll =>
        {
            var all = groups[poll.Id].ToList();
            var current = all.Where(g => g.Round == poll.Round).ToList();
            var options = poll.Options.OrderBy(o => o.Order).ThenBy(o => o.Id).ToList();
            var counts = new List<PollCount>();
            if (poll.Kind is PollKinds.Single or PollKinds.Multiple or PollKinds.Contest)
            {
                var perRound = Tally(current.Select(g => (g.Choices, g.Count)));
                var total = Tally(all.Select(g => (g.Choices, g.Count)));
                counts = options.Select(o => new PollCount(o.Id, perRound.GetValueOrDefault(o.Id), total.GetValueOrDefault(o.Id))).ToList();
            }

            double? average = null;
            var distribution = new List<int>();
            if (poll.Kind == PollKinds.Rating)
            {
                var ratings = current.Where(g => g.Rating is not null).Select(g => (Value: g.Rating!.Value, g.Count)).ToList();
                var n = ratings.Sum(r => r.Count);
                average = n == 0 ? null : Math.Round((double)ratings.Sum(r => (long)r.Value * r.Count) / n, 2);
                distribution = Enumerable.Range(1, poll.MaxRating).Select(v => ratings.Where(r => r.Value == v).Sum(r => r.Count)).ToList();
            }

            var words = poll.Kind == PollKinds.Words ? WordCloud.Count(current.Select(g => (g.Text ?? "", g.Count)), 50) : [];
            return new PollView(poll.Id, poll.Kind, poll.QuestionJa, poll.QuestionEn, poll.State, poll.Round, poll.MaxRating,
                options.Select(o => new PollOptionView(o.Id, o.LabelJa, o.LabelEn)).ToList(), current.Sum(g => g.Count), counts, average, distribution, words);
        }).ToList();
    }

    private static Dictionary<long, int> Tally(IEnumerable<(string Choices, int Count)> responses)
    {
        var d = new Dictionary<long, int>();
        foreach (var (choices, count) in responses)
        {
            foreach (var part in choices.Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                if (long.TryParse(part, CultureInfo.InvariantCulture, out var id))
                {
                    d[id] = d.GetValueOrDefault(id) + count;
                }
            }
        }

        return d;
    }

    public sealed record PollInput(string? Kind, string? QuestionJa, string? QuestionEn, List<string>? Options, List<string>? OptionsEn, int? MaxRating);

    public async Task<WriteResult> CreatePollAsync(Event ev, PollInput input, CancellationToken ct = default)
    {
        await RequireModeratorAsync(ev, ct);
        if (!PollKinds.IsValid(input.Kind))
        {
            throw EventException.Invalid("投票の種類が不正です。", "kind must be single, multiple, rating, words or contest.");
        }

        if (string.IsNullOrWhiteSpace(input.QuestionJa))
        {
            throw EventException.Invalid("設問を入力してください。", "question_ja is required.");
        }

        var options = (input.Options ?? []).Select(o => o.Trim()).Where(o => o.Length > 0).ToList();
        if (input.Kind is PollKinds.Single or PollKinds.Multiple or PollKinds.Contest && (options.Count < 2 || options.Count > 50))
        {
            throw EventException.Invalid("選択肢を2～50個指定してください。", "options: 2 to 50 choices.");
        }

        var maxRating = input.MaxRating ?? 5;
        if (maxRating is < 2 or > 10)
        {
            throw EventException.Invalid("評価の最大値は2～10です。", "max_rating: 2 to 10.");
        }

        return await WriteAsync(ev, null, null, async change =>
        {
            var poll = new Poll
            {
                EventId = ev.Id,
                Kind = input.Kind!,
                QuestionJa = input.QuestionJa!.Trim(),
                QuestionEn = input.QuestionEn?.Trim() ?? "",
                MaxRating = maxRating,
                Options = options.Select((o, i) => new PollOption { Order = i, LabelJa = o, LabelEn = input.OptionsEn?.ElementAtOrDefault(i)?.Trim() ?? "" }).ToList(),
            };
            db.Add(poll);
            await db.SaveChangesAsync(ct);
            change.Polls.Add(poll.Id);
            return new { poll = poll.Id };
        }, null, ct);
    }

    /// <summary>open | close | draft | next-round (contest).</summary>
    public async Task<WriteResult> PollActionAsync(Event ev, long pollId, string action, CancellationToken ct = default)
    {
        await RequireModeratorAsync(ev, ct);
        return await WriteAsync(ev, null, null, async change =>
        {
            var poll = await db.Set<Poll>().FirstOrDefaultAsync(p => p.Id == pollId && p.EventId == ev.Id, ct)
                ?? throw EventException.NotFound("poll");
            switch (action)
            {
                case "open":
                    poll.State = "open";
                    break;
                case "close":
                    poll.State = "closed";
                    break;
                case "draft":
                    poll.State = "draft";
                    break;
                case "next-round":
                    poll.Round++;
                    poll.State = "open";
                    break;
                default:
                    throw EventException.Invalid("不明な操作です。", "action must be open, close, draft or next-round.");
            }

            await db.SaveChangesAsync(ct);
            change.Polls.Add(poll.Id);
            return new { poll = poll.Id, state = poll.State, round = poll.Round };
        }, null, ct);
    }

    /// <summary>
    /// A participant's answer: one per poll and round. Committed in a batch with the other questions, votes and
    /// answers waiting (group commit); checked there against the poll as it is under the event's lock.
    /// </summary>
    public Task<WriteResult> AnswerPollAsync(Event ev, string participantId, long pollId, IReadOnlyList<long>? choices, int? rating, string? text, string? idempotencyKey, CancellationToken ct = default) =>
        FastWriteAsync(ev, new PollAnswerWrite(participantId, NormalizeKey(idempotencyKey), pollId, [.. (choices ?? []).Distinct()], rating, text is null ? null : CleanText(text).Replace('\n', ' '), ct),
            () => limits.TryVote(participantId), ct);

    /// <summary>
    /// Checks an answer against its poll (open, the right kind of answer) and builds the row; throws the refusal.
    /// Whether the participant already answered is the caller's check (and the unique index's).
    /// </summary>
    internal static PollResponse BuildAnswer(Poll poll, string participantId, IReadOnlyList<long> chosen, int? rating, string? words)
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
            case PollKinds.Single or PollKinds.Contest:
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
                if (words.Length == 0 || Length(words) > MaxWordsLength)
                {
                    throw EventException.Invalid($"ことばを1～{MaxWordsLength}文字で入力してください。", $"Words: 1 to {MaxWordsLength} characters.");
                }

                response.Text = words;
                break;
        }

        response.Choices = string.Join(',', chosen);
        return response;
    }

    public static EventException AlreadyAnswered() =>
        new(409, "already_answered", "この投票にはすでに回答しています。", "This participant has already answered the poll in this round.");

    public async Task<HashSet<long>> AnsweredPollIdsAsync(Event ev, string participantId, CancellationToken ct = default)
    {
        var rows = await db.Set<PollResponse>().AsNoTracking()
            .Where(r => r.ParticipantId == participantId && db.Set<Poll>().Any(p => p.Id == r.PollId && p.EventId == ev.Id && p.Round == r.Round))
            .Select(r => r.PollId).ToListAsync(ct);
        return [.. rows];
    }

    /// <summary>Log entries after <paramref name="afterSeq"/> (at most <paramref name="limit"/>).</summary>
    public static async Task<List<EventLogEntry>> ReadLogAsync(OpenGovDb db, string eventId, long afterSeq, long? upTo, int limit, CancellationToken ct)
    {
        var q = db.Set<EventLogEntry>().AsNoTracking().Where(e => e.EventId == eventId && e.Seq > afterSeq);
        if (upTo is { } max)
        {
            q = q.Where(e => e.Seq <= max);
        }

        return await q.OrderBy(e => e.Seq).Take(limit).ToListAsync(ct);
    }
}
