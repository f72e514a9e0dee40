namespace OpenGov.Hosting;

/// <summary>Flags the host understands before ASP.NET Core's own configuration sees the arguments.</summary>
public sealed record HostArguments(bool Demo, IReadOnlyList<string> AdminArgs)
{
    private static readonly string[] ConfigFlags = ["--data", "--urls", "--environment", "--contentRoot", "--applicationName"];

    /// <summary>
    /// Web mode: takes out <c>--demo</c> (a flag without value, which the configuration provider cannot read) and
    /// leaves everything else (<c>--urls</c>, <c>--data DIR</c>, ...) to configuration.
    /// </summary>
    public static (HostArguments Options, string[] Remaining) Parse(string[] args)
    {
        var rest = args.Where(a => a != "--demo").ToArray();
        return (new HostArguments(rest.Length != args.Length, []), rest);
    }

    /// <summary>
    /// Where the word "admin" stands as the first argument that is not a configuration flag (or its value), or -1:
    /// <c>--data DIR admin help</c> is admin mode as much as <c>admin help --data DIR</c>; it must never start a server.
    /// </summary>
    public static int AdminVerbIndex(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            var a = args[i];
            if (ConfigFlags.Contains(a))
            {
                i++; // its value
            }
            else if (a == "--demo" || ConfigFlags.Any(f => a.StartsWith(f + "=", StringComparison.Ordinal)))
            {
            }
            else
            {
                return a == "admin" ? i : -1;
            }
        }

        return -1;
    }

    /// <summary>
    /// Admin mode (<c>admin VERB ...</c>): configuration flags (<c>--data DIR</c>, <c>--urls</c>, <c>--key=value</c>)
    /// go to configuration; the verb and its own arguments are kept apart.
    /// </summary>
    public static (HostArguments Options, string[] Remaining) ParseAdmin(string[] args)
    {
        var rest = new List<string>();
        var admin = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var a = args[i];
            if (ConfigFlags.Contains(a) && i + 1 < args.Length)
            {
                rest.Add(a);
                rest.Add(args[++i]);
            }
            else if (ConfigFlags.Any(f => a.StartsWith(f + "=", StringComparison.Ordinal)))
            {
                rest.Add(a);
            }
            else if (a != "--demo")
            {
                admin.Add(a);
            }
        }

        return (new HostArguments(false, admin), rest.ToArray());
    }
}
