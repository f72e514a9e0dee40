namespace OpenGov.Storage;

/// <summary>
/// The life-cycle states CKAN gives datasets, resources, organizations, groups and users (its <c>state</c> field).
/// A deleted row is kept for its history; a draft dataset is seen only by its organization, like a private one.
/// </summary>
public static class RecordState
{
    public const string Active = "active";
    public const string Draft = "draft";
    public const string Deleted = "deleted";
}
