namespace OpenGov.DataStore;

/// <summary>Marker for the DataStore pages' strings (keys are Japanese; English in DataStoreText.en.resx).</summary>
public sealed class DataStoreText;
