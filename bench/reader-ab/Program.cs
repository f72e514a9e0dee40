// The harness of bench/reader-ab.sh (built there against each commit's OpenGov.Tabular): opens FILE, infers the
// types on a sample, normalises every row, PASSES times; prints rows, wall and CPU seconds per pass.
using System.Diagnostics;
using OpenGov.Tabular;

var process = Process.GetCurrentProcess();
for (var pass = 0; pass < int.Parse(args[1]); pass++)
{
    var cpu = process.TotalProcessorTime;
    var wall = Stopwatch.StartNew();
    using var table = TableReader.Open(args[0]);
    var types = TypeInference.InferFromSample(table.Columns, table.Rows, null, out var rows);
    var normalizer = new ColumnNormalizer(types);
    long n = 0;
    foreach (var row in rows)
    {
        normalizer.Normalize(row, ++n);
    }
    process.Refresh();
    Console.WriteLine($"rows={n} wall={wall.Elapsed.TotalSeconds:F2}s cpu={(process.TotalProcessorTime - cpu).TotalSeconds:F2}s");
}
