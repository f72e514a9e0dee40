namespace OpenGov.Shared;

/// <summary>
/// Marker for the site-wide strings. Keys are the Japanese text (the default language); English lives in
/// SharedResource.en.resx beside this file. A key without an English entry shows in Japanese.
/// </summary>
public sealed class SharedResource;
