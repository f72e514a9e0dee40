namespace OpenGov.Hosting;

/// <summary>
/// The one executable: <c>opengov [--demo] [--data DIR] [--urls URL]</c> serves the platform;
/// <c>opengov admin VERB ...</c> runs an administrative verb against the same storage and exits.
/// </summary>
public static class OpenGovProgram
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (HostArguments.AdminVerbIndex(args) is var at and >= 0)
        {
            var (options, rest) = HostArguments.ParseAdmin([.. args[..at], .. args[(at + 1)..]]);
            var app = OpenGovApp.Build(rest, options);
            return await AdminCommands.RunAsync(app, options.AdminArgs);
        }

        var (hostOptions, remaining) = HostArguments.Parse(args);
        var web = OpenGovApp.Build(remaining, hostOptions);
        await web.RunAsync();
        return 0;
    }
}
