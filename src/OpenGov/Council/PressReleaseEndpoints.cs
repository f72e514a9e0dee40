namespace OpenGov.Council;

/// <summary>The press release of an event as a Word file (the page is Council/Pages/Press.cshtml).</summary>
public static class PressReleaseEndpoints
{
    public static IEndpointRouteBuilder MapPressRelease(this IEndpointRouteBuilder app)
    {
        app.MapGet("/council/press/{slug}.docx", Docx).WithTags("Council").WithName("CouncilPressReleaseDocx")
            .WithSummary("記者発表資料 of an event as .docx: the event's press notice, programme, and the council overview as of its 発信日.");
        return app;
    }

    private static async Task<IResult> Docx(string slug, PressReleaseBuilder builder, CancellationToken ct)
    {
        var release = await builder.BuildAsync(slug, ct);
        return release is null
            ? TypedResults.NotFound()
            : TypedResults.File(PressReleaseDocx.Write(release), PressReleaseDocx.ContentType, $"press-release-{slug}.docx");
    }
}
