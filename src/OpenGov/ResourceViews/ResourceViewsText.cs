namespace OpenGov.ResourceViews;

/// <summary>Marker for the strings of the resource views (keys are Japanese; English in ResourceViewsText.en.resx).</summary>
public sealed class ResourceViewsText;
