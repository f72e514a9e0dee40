namespace OpenGov.DataStore;

/// <summary>Endpoints of the DataStore pages (the load form post, the panel's progress JSON).</summary>
public static class DataStorePages
{
    public static void Map(IEndpointRouteBuilder app)
    {
    }
}
