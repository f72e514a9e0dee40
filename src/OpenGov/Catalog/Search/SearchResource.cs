namespace OpenGov.Catalog.Search;

/// <summary>Marker for the strings of the browse pages; English in SearchResource.en.resx (keys are the Japanese text).</summary>
public sealed class SearchResource;
