namespace OpenGov.Hosting;

/// <summary>Flags the host understands before ASP.NET Core's own configuration sees the arguments.</summary>
public sealed record HostArguments(bool Demo, IReadOnlyList<string> AdminArgs)
{
    /// <summary>
    /// Takes out <c>--demo</c> (a flag without value, which the configuration provider cannot read) and, for admin
    /// verbs, the verb and its arguments. Everything else (<c>--urls</c>, <c>--data DIR</c>, ...) is left for configuration.
    /// </summary>
    public static (HostArguments Options, string[] Remaining) Parse(string[] args)
    {
        var demo = false;
        var rest = new List<string>();
        var admin = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var a = args[i];
            if (a is "--demo")
            {
                demo = true;
            }
            else if (a is "--data" or "--urls" or "--environment" or "--contentRoot" && i + 1 < args.Length)
            {
                rest.Add(a);
                rest.Add(args[++i]);
            }
            else if (a.StartsWith("--data=", StringComparison.Ordinal) || a.StartsWith("--urls=", StringComparison.Ordinal))
            {
                rest.Add(a);
            }
            else
            {
                admin.Add(a);
            }
        }

        return (new HostArguments(demo, admin), rest.ToArray());
    }
}
