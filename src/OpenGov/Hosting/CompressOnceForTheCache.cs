using System.IO.Compression;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.Options;

namespace OpenGov.Hosting;

/// <summary>
/// The compression of answers the output cache will store: done once per entry, then copied to every later reader,
/// so it spends more time for fewer bytes than the compression of other answers (Brotli quality 5 against 1, gzip's
/// smallest size against its fastest: a dashboard's data.json goes from about 61 KB to about 33 KB for some 50 ms more
/// on the miss; docs/benchmarks.md). Its input comes in 64 KB pieces with no flushes in between: Brotli makes a block
/// of whatever one write hands it, and endpoints write in 4 KB segments (and flush), which made the kept bytes 2.7
/// times those of the same text compressed in one piece. Other answers, streams (server-sent events) above all, pass
/// by untouched and are compressed by the site-wide response compression outside the cache, flushes and all.
/// </summary>
public static class CompressOnceForTheCache
{
    /// <summary>The codings both compressions offer, in the same order (a reader gets the same coding from either).</summary>
    public static void Configure(ResponseCompressionOptions options, bool forTheCache)
    {
        options.EnableForHttps = true;
        if (forTheCache)
        {
            options.Providers.Add(new CacheBrotli());
            options.Providers.Add(new CacheGzip());
        }
        else
        {
            options.Providers.Add<BrotliCompressionProvider>();
            options.Providers.Add<GzipCompressionProvider>();
        }
    }

    /// <summary>After the output cache: compresses, once, the answers it will store.</summary>
    public static IApplicationBuilder UseCompressOnceForTheCache(this IApplicationBuilder app)
    {
        var options = new ResponseCompressionOptions();
        Configure(options, forTheCache: true);
        var provider = new ResponseCompressionProvider(app.ApplicationServices, Options.Create(options));
        return app.UseWhen(WillBeStored, branch => branch
            .UseMiddleware<ResponseCompressionMiddleware>(provider)
            .Use(InOnePieceAsync));
    }

    private static bool WillBeStored(HttpContext context) =>
        context.Features.Get<IOutputCacheFeature>()?.Context is { EnableOutputCaching: true, AllowCacheStorage: true };

    private static async Task InOnePieceAsync(HttpContext context, RequestDelegate next)
    {
        var prior = context.Features.GetRequiredFeature<IHttpResponseBodyFeature>();
        var buffered = new BufferedStream(prior.Stream, 64 * 1024);
        var body = new UnflushedBody(new NoFlushStream(buffered), prior);
        context.Features.Set<IHttpResponseBodyFeature>(body);
        try
        {
            await next(context);
            await body.CompleteAsync();
            await buffered.FlushAsync(context.RequestAborted);
        }
        finally
        {
            context.Features.Set(prior);
        }
    }

    private sealed class CacheBrotli : ICompressionProvider
    {
        public string EncodingName => "br";
        public bool SupportsFlush => true;
        public Stream CreateStream(Stream outputStream) =>
            new BrotliStream(outputStream, new BrotliCompressionOptions { Quality = 5 }, leaveOpen: true);
    }

    private sealed class CacheGzip : ICompressionProvider
    {
        public string EncodingName => "gzip";
        public bool SupportsFlush => true;
        public Stream CreateStream(Stream outputStream) => new GZipStream(outputStream, CompressionLevel.SmallestSize, leaveOpen: true);
    }

    private sealed class UnflushedBody(Stream stream, IHttpResponseBodyFeature prior) : StreamResponseBodyFeature(stream, prior)
    {
        // buffering stays on: turning it off would make the compression flush after every write
        public override void DisableBuffering()
        {
        }
    }

    /// <summary>Writes through to the buffer; a flush does nothing (the buffer is written out after the endpoint).</summary>
    private sealed class NoFlushStream(Stream inner) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.WriteAsync(buffer, offset, count, cancellationToken);
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => inner.WriteAsync(buffer, cancellationToken);
    }
}
