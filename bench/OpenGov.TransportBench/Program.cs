// SSE against SignalR for the live symposium (issue 4), on 127.0.0.1 only and bounded in time.
//   server --port P             hosts both transports in one Kestrel process: GET /sse (server-sent events by
//                               OpenGov's own feed and stream, see SseSide.cs) and the hub /hub (Hub<IViewerClient>)
//   client --transport sse|signalr --url U --clients N --rate R --seconds S
//                               opens N viewers of one transport in this (separate) process, has the server broadcast
//                               the same change R times per second for S seconds, prints one Markdown row
// bench/transport.sh starts a fresh server for every (transport, N) and runs the client against it.
using System.Globalization;

namespace OpenGov.TransportBench;

internal static class Entry
{
    public static async Task<int> Main(string[] args)
    {
        var a = BenchArgs.Parse(args);
        switch (args.FirstOrDefault())
        {
            case "server":
                await BenchServer.RunAsync(a);
                return 0;
            case "client":
                return await BenchClient.RunAsync(a);
            default:
                await Console.Error.WriteLineAsync("usage: server --port 5450 | client --transport sse|signalr --url http://127.0.0.1:5450 --clients 1000 --rate 10 --seconds 20 [--header]");
                return 2;
        }
    }
}

internal sealed record BenchArgs(int Port, string Transport, Uri Url, int Clients, int Rate, int Seconds, bool Header)
{
    public static BenchArgs Parse(string[] a)
    {
        string Get(string name, string fallback)
        {
            var i = Array.IndexOf(a, "--" + name);
            return i >= 0 && i + 1 < a.Length ? a[i + 1] : fallback;
        }

        int Int(string name, string fallback) => int.Parse(Get(name, fallback), CultureInfo.InvariantCulture);

        return new BenchArgs(Int("port", "5450"), Get("transport", "sse"), new Uri(Get("url", "http://127.0.0.1:5450")), Int("clients", "1000"),
            Int("rate", "10"), Int("seconds", "20"), a.Contains("--header"));
    }
}
