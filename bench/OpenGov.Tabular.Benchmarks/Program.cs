using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Running;
using OpenGov.Tabular;

BenchmarkSwitcher.FromAssembly(typeof(OpenGov.Tabular.Benchmarks.ReaderBenchmarks).Assembly).Run(args);

namespace OpenGov.Tabular.Benchmarks
{

    /// <summary>
    /// Read + normalise + infer on real and generated files. Files come from the directory in TABULAR_BENCH_DIR
    /// (see bench/tabular-bench.sh, which generates them): tokyo-14645.csv, gen-1m-utf8.csv, gen-1m-cp932.csv.
    /// </summary>
    [SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
    [MemoryDiagnoser]
    public class ReaderBenchmarks
    {
        [Params("tokyo-14645.csv", "gen-1m-utf8.csv", "gen-1m-cp932.csv")]
        public string File { get; set; } = "";

        private string _path = "";

        [GlobalSetup]
        public void Setup()
        {
            var dir = Environment.GetEnvironmentVariable("TABULAR_BENCH_DIR") ?? throw new InvalidOperationException("Set TABULAR_BENCH_DIR");
            _path = Path.Combine(dir, File);
        }

        /// <summary>Open (detect encoding, delimiter, header), infer types on the first 10,000 rows, normalise every row.</summary>
        [Benchmark]
        public long ReadNormalizeInfer()
        {
            using var table = TableReader.Open(_path);
            var types = TypeInference.InferFromSample(table.Columns, table.Rows, null, out var rows);
            var normalizer = new ColumnNormalizer(types);
            long n = 0;
            foreach (var row in rows)
            {
                normalizer.Normalize(row, ++n);
            }
            return n;
        }

        /// <summary>Open and stream the string rows only.</summary>
        [Benchmark]
        public long ReadOnly()
        {
            using var table = TableReader.Open(_path);
            long n = 0;
            foreach (var row in table.Rows)
            {
                n += row.Length > 0 ? 1 : 0;
            }
            return n;
        }
    }
}
