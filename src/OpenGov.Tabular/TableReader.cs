namespace OpenGov.Tabular;

/// <summary>Placeholder; the reader lands with the DataStore issue.</summary>
public static class TableReader
{
}
