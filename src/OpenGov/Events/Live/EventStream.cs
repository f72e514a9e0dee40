using System.Buffers;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.Features;

namespace OpenGov.Events.Live;

/// <summary>Writes a feed to a response as server-sent events.</summary>
public static class EventStream
{
    /// <summary>Last-Event-ID header (browsers send it on reconnect), else ?lastEventId= (first connect), else "from now".</summary>
    public static long? LastEventId(HttpRequest request)
    {
        var value = request.Headers["Last-Event-ID"].ToString();
        if (string.IsNullOrEmpty(value))
        {
            value = request.Query["lastEventId"].ToString();
        }

        return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
    }

    /// <summary>
    /// Streams the event's feed. The caller passes only the event id: nothing scoped (no DbContext) stays referenced
    /// by a connection that may last hours.
    /// </summary>
    public static async Task RunAsync(HttpContext ctx, EventBus bus, string eventId, bool moderator)
    {
        var ct = ctx.RequestAborted;
        var feed = bus.Feed(eventId);
        var (sub, missed, after) = await feed.SubscribeAsync(LastEventId(ctx.Request), moderator, ct);
        try
        {
            ctx.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            ctx.Response.ContentType = "text/event-stream; charset=utf-8";
            ctx.Response.Headers.CacheControl = "no-cache, no-store";
            ctx.Response.Headers["X-Accel-Buffering"] = "no";
            // The pipe writer: one write+flush per frame, no stream adapter.
            var body = ctx.Response.BodyWriter;
            await body.WriteAsync(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"retry: 2000\n:connected {after}\n\n")), ct);
            var last = after;
            foreach (var e in missed)
            {
                last = Write(body, e, moderator, last);
            }

            await body.FlushAsync(ct);
            var reader = sub.Reader;
            while (await reader.WaitToReadAsync(ct))
            {
                while (reader.TryRead(out var e))
                {
                    last = Write(body, e, moderator, last);
                }

                var flushed = await body.FlushAsync(ct);
                if (flushed.IsCompleted || flushed.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (IOException)
        {
        }
        finally
        {
            feed.Unsubscribe(sub);
        }
    }

    private static long Write(System.IO.Pipelines.PipeWriter body, FeedEntry e, bool moderator, long last)
    {
        if (e.Seq < 0)
        {
            body.Write(e.Moderator);
            return last;
        }

        if (e.Seq <= last)
        {
            return last;
        }

        if (e.Parts is { } parts && e.FirstSeq <= last)
        {
            // A chunk that overlaps what was sent: its newer entries only.
            foreach (var part in parts)
            {
                last = Write(body, part, moderator, last);
            }

            return last;
        }

        var bytes = moderator ? e.Moderator : e.Public;
        if (bytes is not null)
        {
            body.Write(bytes);
        }

        return e.Seq;
    }
}
