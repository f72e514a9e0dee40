using Microsoft.EntityFrameworkCore;
using OpenGov.Accounts;
using OpenGov.Storage;

namespace OpenGov.Hosting;

/// <summary>
/// Administrative verbs on the same executable:
/// <c>admin migrate</c>,
/// <c>admin create-user NAME [--password P] [--email E] [--fullname F] [--sysadmin]</c>,
/// <c>admin create-token USER [--name N]</c>,
/// <c>admin add-member ORGANIZATION USER admin|editor|member</c>,
/// <c>admin dashboard-export ORGANIZATION SLUG --out DIR</c>,
/// <c>admin end-sessions USER</c>, <c>admin disable-user USER</c>, <c>admin enable-user USER</c>.
/// </summary>
public static class AdminCommands
{
    public static Task<int> RunAsync(WebApplication app, IReadOnlyList<string> args) => RunAsync(app.Services, args);

    /// <summary>Runs a verb against the storage of <paramref name="services"/> (a node's container, or the verb's own).</summary>
    public static async Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> args)
    {
        if (args.Count == 0 || args[0] is "help" or "--help" or "-h")
        {
            Console.WriteLine("""
                usage: opengov admin VERB [ARGS]   (storage from --data DIR, OPENGOV_DATA or ConnectionStrings__Default)
                  migrate                                   apply database migrations
                  create-user NAME [--password P] [--email E] [--fullname F] [--sysadmin]
                  create-token USER [--name N]              print a new API token for USER
                  add-member ORGANIZATION USER CAPACITY     CAPACITY is admin, editor or member
                  dashboard-export ORGANIZATION SLUG --out DIR   write the dashboard as a static folder (public data only)
                  end-sessions USER                         log USER out everywhere: every login cookie, on every node
                  disable-user USER                         end USER's sessions and refuse their login and API tokens
                  enable-user USER                          let a disabled USER log in again (memberships kept)
                """);
            return args.Count == 0 ? 2 : 0;
        }

        await StorageSetup.MigrateAsync(services);
        using var scope = services.CreateScope();
        var sp = scope.ServiceProvider;
        var db = sp.GetRequiredService<OpenGovDb>();
        var accounts = sp.GetRequiredService<AccountService>();
        var verb = args[0];
        var positional = args.Skip(1).Where((a, i) => !a.StartsWith("--", StringComparison.Ordinal) && (i == 0 || !IsValueFlag(args[i]))).ToList();

        switch (verb)
        {
            case "migrate":
                Console.WriteLine("migrations applied");
                return 0;
            case "create-user" when positional.Count >= 1:
                {
                    var name = positional[0];
                    if (await db.Users.AnyAsync(u => u.Name == name))
                    {
                        await Console.Error.WriteLineAsync($"user '{name}' already exists");
                        return 1;
                    }

                    var user = await accounts.CreateUserAsync(name, Flag(args, "--password"), args.Contains("--sysadmin"), Flag(args, "--fullname") ?? "", Flag(args, "--email") ?? "");
                    Console.WriteLine($"created user {user.Name} ({user.Id}){(user.Sysadmin ? " sysadmin" : "")}");
                    return 0;
                }

            case "create-token" when positional.Count >= 1:
                {
                    var name = positional[0];
                    var user = await db.Users.FirstOrDefaultAsync(u => u.Name == name);
                    if (user is null)
                    {
                        await Console.Error.WriteLineAsync($"no user '{name}'");
                        return 1;
                    }

                    Console.WriteLine(await accounts.CreateTokenAsync(user.Id, Flag(args, "--name") ?? "cli"));
                    return 0;
                }

            case "add-member" when positional.Count >= 3:
                {
                    var (orgName, userName, capacity) = (positional[0], positional[1], positional[2]);
                    var org = await db.Organizations.FirstOrDefaultAsync(o => o.Name == orgName || o.Id == orgName);
                    var user = await db.Users.FirstOrDefaultAsync(u => u.Name == userName || u.Id == userName);
                    if (org is null || user is null || !Roles.IsValid(capacity))
                    {
                        await Console.Error.WriteLineAsync("unknown organization or user, or capacity not admin|editor|member");
                        return 1;
                    }

                    var m = await db.OrganizationRoles.FindAsync(user.Id, org.Id);
                    if (m is null)
                    {
                        db.OrganizationRoles.Add(new OrganizationRole { UserId = user.Id, OrganizationId = org.Id, Role = capacity });
                    }
                    else
                    {
                        m.Role = capacity;
                    }

                    await db.SaveChangesAsync();
                    Console.WriteLine($"{user.Name} is {capacity} of {org.Name}");
                    return 0;
                }

            case "dashboard-export" when positional.Count >= 2:
                {
                    var export = await sp.GetRequiredService<Dashboards.DashboardExporter>()
                        .ExportAsync(positional[0], positional[1], Path.GetFullPath(Flag(args, "--out") ?? $"{positional[0]}-{positional[1]}"), CancellationToken.None);
                    if (export is null)
                    {
                        await Console.Error.WriteLineAsync($"no dashboard {positional[0]}/{positional[1]}");
                        return 1;
                    }

                    Console.WriteLine($"wrote {export.Files.Count} files to {export.Directory}; index.html {export.IndexBytes:#,0} bytes, {export.IndexGzipBytes:#,0} gzipped");
                    return 0;
                }

            case "end-sessions" or "disable-user" or "enable-user" when positional.Count >= 1:
                {
                    var name = positional[0];
                    var user = await db.Users.FirstOrDefaultAsync(u => u.Name == name || u.Id == name);
                    if (user is null)
                    {
                        await Console.Error.WriteLineAsync($"no user '{name}'");
                        return 1;
                    }

                    // other nodes refuse the old cookies within OpenGov:SecurityStampCheckSeconds
                    if (verb == "end-sessions")
                    {
                        await accounts.EndSessionsAsync(user.Id);
                        Console.WriteLine($"ended every session of {user.Name}");
                    }
                    else
                    {
                        await accounts.SetActiveAsync(user, verb == "enable-user");
                        Console.WriteLine($"{user.Name} is {(verb == "enable-user" ? "enabled" : "disabled; their sessions and API tokens no longer work")}");
                    }

                    return 0;
                }

            default:
                await Console.Error.WriteLineAsync($"unknown or incomplete verb: {string.Join(' ', args)} (try: admin help)");
                return 2;
        }
    }

    private static bool IsValueFlag(string a) => a is "--password" or "--email" or "--fullname" or "--name" or "--out";

    private static string? Flag(IReadOnlyList<string> args, string name)
    {
        for (var i = 0; i < args.Count - 1; i++)
        {
            if (args[i] == name)
            {
                return args[i + 1];
            }
        }

        return null;
    }
}
