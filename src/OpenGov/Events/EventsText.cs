namespace OpenGov.Events;

/// <summary>Marker for the strings of the event pages (keys are Japanese; English in EventsText.en.resx).</summary>
public sealed class EventsText;
