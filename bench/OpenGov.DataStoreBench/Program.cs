using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using OpenGov.DataStore;
using OpenGov.Hosting;
using OpenGov.Storage;

// DataStore load and search benchmark (see bench/datastore.sh).
// usage: OpenGov.DataStoreBench (--sqlite DIR | --pg CONNSTRING) --file CSV [--id NAME] [--searches N] [--encoding cp932] [--warmup ROWS]
var opts = new Dictionary<string, string>();
for (var i = 0; i + 1 < args.Length; i += 2)
{
    opts[args[i].TrimStart('-')] = args[i + 1];
}

var options = new OpenGovOptions { DataDirectory = opts.GetValueOrDefault("sqlite", Path.GetTempPath()) };
var info = opts.TryGetValue("pg", out var pg) ? new StorageInfo(true, pg) : new StorageInfo(false, "");
await using var storage = new DataStoreStorage(info, options);
var id = opts.GetValueOrDefault("id", "bench");
var file = opts["file"];
var overrides = new LoadOverrides { Encoding = opts.GetValueOrDefault("encoding") };
if (info.IsPostgres)
{
    await storage.DropAsync(id, CancellationToken.None);
}

var searches = int.Parse(opts.GetValueOrDefault("searches", "200"), CultureInfo.InvariantCulture);

var sw = Stopwatch.StartNew();
if (opts.GetValueOrDefault("mode") == "read")
{
    // the reading half alone: detect, infer, normalise every row, store nothing
    using var t = OpenGov.Tabular.TableReader.Open(file);
    var inferred = OpenGov.Tabular.TypeInference.InferFromSample(t.Columns, t.Rows, null, out var all);
    var norm = new OpenGov.Tabular.ColumnNormalizer(inferred);
    long n = 0;
    foreach (var row in all)
    {
        norm.Normalize(row, t.CurrentRowNumber);
        n++;
    }

    Console.WriteLine($"read\t{n}\t{sw.Elapsed.TotalSeconds:F2}");
    return;
}

// --warmup N: first load the file's first N lines into another table (then dropped), so that the timed load runs
// on compiled code as in a server that has loaded before; the default (0) times a fresh process's first load
var warmup = int.Parse(opts.GetValueOrDefault("warmup", "0"), CultureInfo.InvariantCulture);
if (warmup > 0)
{
    var head = Path.Combine(Path.GetTempPath(), "opengov-warmup-" + Environment.ProcessId + Path.GetExtension(file));
    await using (var src = File.OpenRead(file))
    await using (var dst = File.Create(head))
    {
        var lines = 0;
        int b;
        while (lines <= warmup && (b = src.ReadByte()) >= 0)
        {
            dst.WriteByte((byte)b);
            lines += b == '\n' ? 1 : 0;
        }
    }

    await DataStoreLoader.LoadFileAsync(storage, id + "_warmup", head, overrides, opts.GetValueOrDefault("standard"), CancellationToken.None);
    await storage.DropAsync(id + "_warmup", CancellationToken.None);
    File.Delete(head);
    await Task.Delay(500); // let the background tier-1 compiles finish
    sw.Restart();
}

var result = await DataStoreLoader.LoadFileAsync(storage, id, file, overrides, opts.GetValueOrDefault("standard"), CancellationToken.None);
var loadSeconds = sw.Elapsed.TotalSeconds;
Console.Error.WriteLine(result.Log);
Console.Error.WriteLine(FormattableString.Invariant($"gc: gen0 {GC.CollectionCount(0)}, gen1 {GC.CollectionCount(1)}, gen2 {GC.CollectionCount(2)}, pause {GC.GetTotalPauseDuration().TotalSeconds:F2} s, allocated {GC.GetTotalAllocatedBytes() / 1_000_000} MB, jit {System.Runtime.JitInfo.GetCompilationTime().TotalSeconds:F2} s ({System.Runtime.JitInfo.GetCompiledMethodCount()} methods), process cpu {Environment.CpuUsage.TotalTime.TotalSeconds:F2} s"));

if (searches == 0)
{
    // load only (BIG=1 in bench/datastore.sh: peak memory of a big file)
    Console.WriteLine(string.Join('\t', info.IsPostgres ? "postgres" : "sqlite", result.Rows.ToString(CultureInfo.InvariantCulture),
        loadSeconds.ToString("F2", CultureInfo.InvariantCulture), (result.Rows / loadSeconds).ToString("F0", CultureInfo.InvariantCulture),
        "-", "-", "-", "-", result.RowsSeconds.ToString("F2", CultureInfo.InvariantCulture))); // "-": bash's read collapses empty tab-separated fields
    return;
}

// datastore_search with a filter and a sort, as the API runs it (parse, SQL, read, JSON); varied filter values
string[] wards = ["千代田区", "中央区", "港区", "新宿区", "文京区", "台東区", "墨田区", "江東区", "品川区", "目黒区"];
string[] ages = ["10代", "20代", "30代", "40代", "50代"];
double P50(Func<int, JsonObject> request)
{
    var times = new List<double>();
    for (var i = 0; i < searches; i++)
    {
        var t = Stopwatch.StartNew();
        var r = DataStoreActions.SearchAsync(storage, id, request(i), "objects", CancellationToken.None).GetAwaiter().GetResult()!;
        times.Add(t.Elapsed.TotalMilliseconds);
        if (i == 0 && r["records"]!.AsArray().Count == 0)
        {
            Console.Error.WriteLine("warning: empty result " + r.ToJsonString()[..200]);
        }
    }

    times.Sort();
    return times[times.Count / 2];
}

// first search: builds the on-demand indexes of the filtered columns in the background; wait for them
sw.Restart();
var before = (await storage.GetTableAsync(id, CancellationToken.None))!.IndexedColumns.Count;
await DataStoreActions.SearchAsync(storage, id, new JsonObject { ["filters"] = new JsonObject { ["市区町村名"] = "港区", ["患者_年代"] = "20代" }, ["sort"] = "公表_年月日 desc" }, "objects", CancellationToken.None);
var firstSearchMs = sw.Elapsed.TotalMilliseconds; // no index yet: a scan (and the search code's first JIT)
while ((await storage.GetTableAsync(id, CancellationToken.None))!.IndexedColumns.Count == before && sw.Elapsed.TotalSeconds < 120)
{
    await Task.Delay(50);
}

var indexSeconds = sw.Elapsed.TotalSeconds;
var filterSort = P50(i => new JsonObject
{
    ["filters"] = new JsonObject { ["市区町村名"] = wards[i % wards.Length], ["患者_年代"] = ages[i % ages.Length] },
    ["sort"] = "公表_年月日 desc",
    ["limit"] = 100,
});
var filterSortNoTotal = P50(i => new JsonObject
{
    ["filters"] = new JsonObject { ["市区町村名"] = wards[i % wards.Length], ["患者_年代"] = ages[i % ages.Length] },
    ["sort"] = "公表_年月日 desc",
    ["limit"] = 100,
    ["include_total"] = false,
});
var savedSearches = searches;
searches = Math.Min(searches, 11);
var q = P50(i => new JsonObject { ["q"] = wards[i % wards.Length] + " 重症", ["limit"] = 100, ["include_total"] = false });
searches = savedSearches;

Console.WriteLine(string.Join('\t',
    info.IsPostgres ? "postgres" : "sqlite",
    result.Rows.ToString(CultureInfo.InvariantCulture),
    loadSeconds.ToString("F2", CultureInfo.InvariantCulture),
    (result.Rows / loadSeconds).ToString("F0", CultureInfo.InvariantCulture),
    filterSort.ToString("F2", CultureInfo.InvariantCulture),
    filterSortNoTotal.ToString("F2", CultureInfo.InvariantCulture),
    q.ToString("F1", CultureInfo.InvariantCulture),
    indexSeconds.ToString("F2", CultureInfo.InvariantCulture),
    result.RowsSeconds.ToString("F2", CultureInfo.InvariantCulture),
    result.Detected["encoding"]?.ToString() ?? "",
    (result.Rows / result.RowsSeconds).ToString("F0", CultureInfo.InvariantCulture),
    firstSearchMs.ToString("F0", CultureInfo.InvariantCulture)));
