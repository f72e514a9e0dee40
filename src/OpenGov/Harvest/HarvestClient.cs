using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace OpenGov.Harvest;

/// <summary>Settings of harvesting (section OpenGov:Harvest).</summary>
public sealed class HarvestOptions
{
    /// <summary>
    /// Let sources on loopback, private, link-local and other non-public addresses be fetched (default false: a
    /// source there is refused when connecting, docs/security.md). Tests and a lab may turn it on.
    /// </summary>
    public bool AllowPrivateAddresses { get; set; }

    /// <summary>Timeout of each request to a source, in seconds.</summary>
    public int TimeoutSeconds { get; set; } = 60;

    /// <summary>Largest response body read from a source, in bytes (one page of package_search).</summary>
    public long MaxResponseBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>Most datasets one job reads; a source with more fails the job (nothing written).</summary>
    public int MaxDatasets { get; set; } = 20_000;

    /// <summary>package_search rows per page (ckanext-harvest's CKAN harvester asks for 100).</summary>
    public int RowsPerPage { get; set; } = 100;

    /// <summary>How often each node looks for due sources and new jobs, in seconds.</summary>
    public int PollSeconds { get; set; } = 30;

    /// <summary>A Running job whose node has not written for this long is failed (its node went away).</summary>
    public int StaleMinutes { get; set; } = 15;
}

/// <summary>Why a job failed, in English and Japanese: nothing of the job was written.</summary>
public sealed class HarvestFailedException(string en, string ja, Exception? inner = null) : Exception(en, inner)
{
    public string MessageJa => ja;
}

/// <summary>
/// Reads a CKAN source's datasets over HTTP as ckanext-harvest's CKAN harvester does (package_search paged with rows
/// and start, sort "id asc", fq on metadata_modified for an incremental run). Outbound requests: http and https
/// only, a timeout, a size cap per response, no proxy, and (unless allowed) no connection to a non-public address,
/// checked on the address actually connected to (so a name that resolves to one later is refused too).
/// </summary>
public sealed class HarvestClient(IHttpClientFactory factory, IOptions<HarvestOptions> options)
{
    public const string HttpClientName = "harvest";

    /// <summary>The handler of the "harvest" client: the address check at connect time.</summary>
    public static SocketsHttpHandler CreateHandler(IServiceProvider services)
    {
        var o = services.GetRequiredService<IOptions<HarvestOptions>>();
        return new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = true,
            MaxAutomaticRedirections = 3,
            AutomaticDecompression = DecompressionMethods.All,
            ConnectTimeout = TimeSpan.FromSeconds(Math.Max(1, o.Value.TimeoutSeconds)),
            ConnectCallback = async (context, ct) =>
            {
                var addresses = IPAddress.TryParse(context.DnsEndPoint.Host, out var literal)
                    ? [literal]
                    : await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, ct);
                var allowed = addresses.Where(a => o.Value.AllowPrivateAddresses || IsPublic(a)).ToList();
                if (allowed.Count == 0)
                {
                    throw new HarvestFailedException(
                        $"Refused to connect to {context.DnsEndPoint.Host}: not a public address (OpenGov:Harvest:AllowPrivateAddresses is off)",
                        $"{context.DnsEndPoint.Host} は公開されたアドレスではないため接続しませんでした（OpenGov:Harvest:AllowPrivateAddresses が無効）。");
                }

                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync([.. allowed], context.DnsEndPoint.Port, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
    }

    /// <summary>Whether an address is on the public internet (not loopback, private, link-local, shared, multicast, ...).</summary>
    public static bool IsPublic(IPAddress a)
    {
        if (a.IsIPv4MappedToIPv6)
        {
            a = a.MapToIPv4();
        }

        if (IPAddress.IsLoopback(a) || a.Equals(IPAddress.Any) || a.Equals(IPAddress.IPv6Any) || a.Equals(IPAddress.Broadcast))
        {
            return false;
        }

        if (a.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = a.GetAddressBytes();
            return !(b[0] is 0 or 10 or 127 || b[0] >= 224
                || (b[0] == 100 && b[1] >= 64 && b[1] < 128)
                || (b[0] == 169 && b[1] == 254)
                || (b[0] == 172 && b[1] >= 16 && b[1] < 32)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 192 && b[1] == 0 && b[2] is 0 or 2)
                || (b[0] == 198 && b[1] is 18 or 19));
        }

        var v6 = a.GetAddressBytes();
        return !(a.IsIPv6LinkLocal || a.IsIPv6SiteLocal || a.IsIPv6Multicast || (v6[0] & 0xfe) == 0xfc);
    }

    /// <summary>The Action API base of a source URL: kept when it ends in /api[/N]/action, else /api/3/action appended.</summary>
    public static Uri ActionBase(string url)
    {
        var u = new Uri(url.Trim().TrimEnd('/'));
        var path = u.AbsolutePath.TrimEnd('/');
        return System.Text.RegularExpressions.Regex.IsMatch(path, "/api(/[0-9])?/action$")
            ? new Uri(u.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/")
            : new Uri(u.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/api/3/action/");
    }

    /// <summary>Whether a URL may be a source: absolute http or https, with a host.</summary>
    public static bool IsAcceptableUrl(string url) =>
        Uri.TryCreate(url.Trim(), UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps) && u.Host.Length > 0;

    /// <summary>
    /// Every dataset of the source (modified since <paramref name="since"/> when given), page by page; any failure
    /// (timeout, HTTP error, malformed JSON, an answer too large, too many datasets) throws <see cref="HarvestFailedException"/>.
    /// Duplicates (a dataset changed while paging) are dropped, the first kept, as the CKAN harvester does.
    /// </summary>
    public async Task<List<JsonObject>> SearchAsync(string sourceUrl, DateTime? since, CancellationToken ct)
    {
        var o = options.Value;
        var api = ActionBase(sourceUrl);
        var fq = since is { } s ? $"metadata_modified:[{s:yyyy-MM-ddTHH:mm:ss.ffffff}Z TO *]" : null;
        var found = new List<JsonObject>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var start = 0; ; start += o.RowsPerPage)
        {
            var query = $"package_search?rows={o.RowsPerPage}&start={start}&sort={Uri.EscapeDataString("id asc")}"
                + (fq is null ? "" : "&fq=" + Uri.EscapeDataString(fq));
            var page = await GetResultAsync(new Uri(api, query), ct);
            if (page["results"] is not JsonArray results || page["count"] is not JsonValue countNode || !countNode.TryGetValue<int>(out var count))
            {
                throw Malformed(api, "package_search's result has no results list or count");
            }

            foreach (var node in results)
            {
                if (node is not JsonObject d || d["id"] is not JsonValue idNode || !idNode.TryGetValue<string>(out var id))
                {
                    throw Malformed(api, "a dataset without an id");
                }

                if (seen.Add(id))
                {
                    found.Add(d);
                }
            }

            if (found.Count > o.MaxDatasets)
            {
                throw new HarvestFailedException(
                    $"The source has more than {o.MaxDatasets} datasets (OpenGov:Harvest:MaxDatasets)",
                    $"収集元のデータセットが上限（{o.MaxDatasets}件、OpenGov:Harvest:MaxDatasets）を超えています。");
            }

            if (results.Count == 0 || start + results.Count >= count)
            {
                return found;
            }
        }
    }

    private async Task<JsonObject> GetResultAsync(Uri url, CancellationToken ct)
    {
        var (body, _, _) = await GetAsync(url, null, ct);
        JsonNode? parsed;
        try
        {
            parsed = JsonNode.Parse(body);
        }
        catch (JsonException e)
        {
            throw Malformed(url, "not JSON (" + e.Message + ")");
        }

        if (parsed is not JsonObject envelope || envelope["success"] is not JsonValue ok || !ok.TryGetValue<bool>(out var success) || !success
            || envelope["result"] is not JsonObject result)
        {
            throw Malformed(url, "not CKAN's {\"success\": true, \"result\": ...} envelope");
        }

        return result;
    }

    /// <summary>
    /// One GET within the timeout and the size cap: the body, its media type and the URL it came from (after
    /// redirects). <paramref name="accept"/> replaces the default Accept (JSON). A 404 is returned (status 404, no
    /// body) when <paramref name="allowNotFound"/>; any other failure throws <see cref="HarvestFailedException"/>.
    /// </summary>
    public async Task<(byte[] Body, string? MediaType, int Status)> GetAsync(Uri url, string? accept, CancellationToken ct, bool allowNotFound = false)
    {
        var o = options.Value;
        var client = factory.CreateClient(HttpClientName);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(Math.Max(1, o.TimeoutSeconds)));
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (accept is not null)
            {
                request.Headers.TryAddWithoutValidation("Accept", accept);
            }

            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (allowNotFound && response.StatusCode == HttpStatusCode.NotFound)
            {
                return ([], null, 404);
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new HarvestFailedException(
                    $"The source answered HTTP {(int)response.StatusCode} to {Redact(url)}",
                    $"収集元が {Redact(url)} に HTTP {(int)response.StatusCode} で応答しました。");
            }

            if (response.Content.Headers.ContentLength > o.MaxResponseBytes)
            {
                throw TooLarge(url, o.MaxResponseBytes);
            }

            await using var body = await response.Content.ReadAsStreamAsync(timeout.Token);
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await body.ReadAsync(chunk, timeout.Token)) > 0)
            {
                if (buffer.Length + read > o.MaxResponseBytes)
                {
                    throw TooLarge(url, o.MaxResponseBytes);
                }

                buffer.Write(chunk, 0, read);
            }

            return (buffer.ToArray(), response.Content.Headers.ContentType?.MediaType, (int)response.StatusCode);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new HarvestFailedException(
                $"The source did not answer {Redact(url)} within {o.TimeoutSeconds} s",
                $"収集元が {o.TimeoutSeconds} 秒以内に応答しませんでした（{Redact(url)}）。");
        }
        catch (HttpRequestException e)
        {
            var inner = e.InnerException as HarvestFailedException ?? (e.InnerException?.InnerException as HarvestFailedException);
            throw inner ?? new HarvestFailedException(
                $"Could not read {Redact(url)}: {e.Message}",
                $"{Redact(url)} を読めませんでした: {e.Message}", e);
        }
    }

    /// <summary>The URL without its query (enough to tell which page; no long fq in the job's reason).</summary>
    public static string Redact(Uri url) => url.GetLeftPart(UriPartial.Path);

    public static HarvestFailedException Malformed(Uri url, string what) => new(
        $"The source's answer to {Redact(url)} is malformed: {what}",
        $"収集元の {Redact(url)} の応答が正しい形式ではありません: {what}");

    private static HarvestFailedException TooLarge(Uri url, long max) => new(
        $"The source's answer to {Redact(url)} is larger than {max} bytes (OpenGov:Harvest:MaxResponseBytes)",
        $"収集元の {Redact(url)} の応答が上限（{max} バイト、OpenGov:Harvest:MaxResponseBytes）を超えています。");
}

/// <summary>The job was aborted (harvest_job_abort) while running: the runner stops without writing more.</summary>
public sealed class HarvestAbortedException() : Exception("The harvest job was aborted");
