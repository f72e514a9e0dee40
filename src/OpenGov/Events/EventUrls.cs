namespace OpenGov.Events;

/// <summary>The public addresses of an event as this request's host names them.</summary>
public static class EventUrls
{
    public static string BaseUrl(HttpContext ctx) => $"{ctx.Request.Scheme}://{ctx.Request.Host}{ctx.Request.PathBase}";

    /// <summary>The question-posting page /q/{code} (also the QR code's target).</summary>
    public static string QuestionUrl(HttpContext ctx, Event ev) => $"{BaseUrl(ctx)}/q/{ev.QuestionCode}";

    /// <summary>The presenter screen /p/{secret}.</summary>
    public static string PresenterUrl(HttpContext ctx, Event ev) => $"{BaseUrl(ctx)}/p/{ev.PresenterSecret}";
}
