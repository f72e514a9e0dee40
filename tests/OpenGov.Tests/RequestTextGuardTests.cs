using System.Net.Http.Headers;
using System.Text;
using OpenGov.Tests.Infrastructure;

namespace OpenGov.Tests;

/// <summary>
/// U+0000 in a query string, a form or a JSON body is refused with a 400 before anything is read or written, on both
/// databases alike (PostgreSQL text cannot hold it; before the guard, PostgreSQL answered such requests with 500s).
/// </summary>
public class RequestTextGuardTests
{
    [Theory, Databases]
    public async Task A_nul_character_in_a_question_a_moderator_edit_or_a_page_query_is_a_400_and_nothing_is_stored(Db db)
    {
        await using var app = await TestApp.StartAsync(db);
        var ev = await app.CreateEventAsync("nul");
        var code = ev["questionCode"]!.GetValue<string>();
        var participant = app.Anonymous();

        // JsonContent sends no length (chunked), like many API clients
        var (status, body) = await participant.PostJsonAsync($"/q/{code}/api/questions", new { text = "質問\0です" });
        Assert.Equal(400, status);
        Assert.Equal("invalid", body!["error"]!.GetValue<string>());
        Assert.Contains("U+0000", body["message_ja"]!.GetValue<string>(), StringComparison.Ordinal);

        // the same with a declared length
        using var fixedLength = new ByteArrayContent(Encoding.UTF8.GetBytes("""{"text":"a\u0000b"}"""));
        fixedLength.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var fixedResponse = await participant.PostAsync($"/q/{code}/api/questions", fixedLength, TestContext.Current.CancellationToken);
        Assert.Equal(400, (int)fixedResponse.StatusCode);

        var id = await participant.AskAsync(code, "本物の質問");
        var (editStatus, _) = await app.AdminClient().PostJsonAsync($"/api/events/nul/questions/{id}/edit", new { text = "\0" });
        Assert.Equal(400, editStatus);

        // text that merely spells the escape is text
        var spelled = await participant.AskAsync(code, "パスは C:\\u0000 です");
        var questions = await app.PublicQuestionsAsync(code);
        Assert.Equal(["パスは C:\\u0000 です", "本物の質問"], questions.Select(q => q!["text"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.NotEqual(id, spelled);

        using var page = await app.Anonymous().GetAsync("/dataset?tags=%00&q=a", TestContext.Current.CancellationToken);
        Assert.Equal(400, (int)page.StatusCode);
        using var ok = await app.Anonymous().GetAsync("/dataset?q=a", TestContext.Current.CancellationToken);
        Assert.Equal(200, (int)ok.StatusCode);
    }
}
