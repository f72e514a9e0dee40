using Microsoft.EntityFrameworkCore;
using OpenGov.Hosting;
using OpenGov.Storage;

namespace OpenGov.Dashboards;

/// <summary>With --demo: every organization publishing the standard COVID-19 datasets (the Tokyo demo) gets its dashboard from the template, once.</summary>
public sealed class DashboardDemoSeeder : IDemoSeeder
{
    public int Order => 30;

    public async Task SeedAsync(IServiceProvider services, CancellationToken ct)
    {
        var db = services.GetRequiredService<OpenGovDb>();
        var store = services.GetRequiredService<DashboardStore>();
        var withDashboard = await db.Set<Dashboard>().Where(d => d.Slug == CovidTemplate.Slug).Select(d => d.OrganizationId).ToListAsync(ct);
        var orgs = await db.Organizations.AsNoTracking().Where(o => o.State == "active" && !withDashboard.Contains(o.Id)).ToListAsync(ct);
        foreach (var org in orgs)
        {
            var found = await CovidTemplate.FindAsync(db, services.GetRequiredService<DataStore.Api.DataStoreAggregates>(), org.Id, ct);
            if (found.Any)
            {
                await store.SaveAsync(org, CovidTemplate.Build(org.Name, org.Title, found), "デモ: テンプレートから作成", ct, system: true);
            }
        }
    }
}
