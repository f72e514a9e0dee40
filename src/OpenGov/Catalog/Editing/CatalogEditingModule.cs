namespace OpenGov.Catalog.Editing;

/// <summary>Registration of catalog writes (actions, uploads, publisher screens) and the simple read actions.</summary>
public static class CatalogEditingModule
{
    public static IServiceCollection AddCatalogEditing(this IServiceCollection services) => services;

    public static void MapEditingActions(Ckan.CkanActionMapper api)
    {
    }

    public static IEndpointRouteBuilder MapCatalogEditing(this IEndpointRouteBuilder app) => app;
}
