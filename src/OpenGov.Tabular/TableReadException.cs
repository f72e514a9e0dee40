namespace OpenGov.Tabular;

/// <summary>
/// The only exception type thrown for bad input by this library. Carries the 1-based
/// <see cref="Row"/> and <see cref="Column"/> when known, and a message in Japanese and English.
/// <see cref="Exception.Message"/> is "MessageJa / MessageEn".
/// </summary>
public sealed class TableReadException : Exception
{
    /// <summary>Creates an exception with messages in both languages.</summary>
    public TableReadException(string code, string messageJa, string messageEn, long? row = null, int? column = null, Exception? inner = null)
        : base(Compose(messageJa, messageEn, row, column), inner)
    {
        Code = code;
        MessageJa = messageJa;
        MessageEn = messageEn;
        Row = row;
        Column = column;
    }

    /// <summary>Creates an exception (required by the exception pattern; prefer the bilingual constructor).</summary>
    public TableReadException() : this("error", "読み込みエラー", "Read error") { }

    /// <summary>Creates an exception with an English message only.</summary>
    public TableReadException(string message) : this("error", message, message) { }

    /// <summary>Creates an exception with an English message only.</summary>
    public TableReadException(string message, Exception inner) : this("error", message, message, null, null, inner) { }

    /// <summary>Machine-readable code, e.g. <c>too-many-columns</c>, <c>field-too-large</c>, <c>ragged-row</c>, <c>corrupt-excel</c>.</summary>
    public string Code { get; }

    /// <summary>Message in Japanese.</summary>
    public string MessageJa { get; }

    /// <summary>Message in English.</summary>
    public string MessageEn { get; }

    /// <summary>1-based record number in the file (sheet row for Excel), when known.</summary>
    public long? Row { get; }

    /// <summary>1-based column number, when known.</summary>
    public int? Column { get; }

    private static string Compose(string ja, string en, long? row, int? column)
    {
        var where = (row, column) switch
        {
            (not null, not null) => $" (row {row}, column {column})",
            (not null, null) => $" (row {row})",
            _ => "",
        };
        return $"{ja} / {en}{where}";
    }
}
