namespace OpenGov.Ckan;

/// <summary>
/// An error of the CKAN Action API, rendered as CKAN renders it:
/// <c>{"help": ..., "success": false, "error": {"__type": ..., "message": ...}}</c> with the matching HTTP status.
/// </summary>
public class CkanException : Exception
{
    public CkanException(int status, string type, string message, IReadOnlyDictionary<string, List<string>>? fields = null)
        : base(message)
    {
        Status = status;
        Type = type;
        Fields = fields;
    }

    public CkanException()
        : this(500, "Internal Server Error", "Internal Server Error")
    {
    }

    public CkanException(string message)
        : this(400, "Bad Request", message)
    {
    }

    public CkanException(string message, Exception inner)
        : base(message, inner)
    {
        Status = 500;
        Type = "Internal Server Error";
    }

    public int Status { get; }

    /// <summary>CKAN's __type: "Not Found Error", "Authorization Error", "Validation Error", "Search Query Error", ...</summary>
    public string Type { get; }

    /// <summary>For validation errors: field → messages.</summary>
    public IReadOnlyDictionary<string, List<string>>? Fields { get; }

    /// <summary>The message in Japanese, sent beside CKAN's English one as <c>message_ja</c> when set.</summary>
    public virtual string? MessageJa => null;

    public static CkanException NotFound(string message = "Not found") => new(404, "Not Found Error", message);

    public static CkanException Forbidden(string message) => new(403, "Authorization Error", "Access denied: " + message);

    /// <summary>CKAN's bare "Access denied" of the sysadmin-only actions (their auth functions give no message).</summary>
    public static CkanException Forbidden() => new(403, "Authorization Error", "Access denied");

    public static CkanException BadRequest(string message) => new(400, "Bad Request", message);

    public static CkanException SearchQuery(string message) => new(400, "Search Query Error", message);

    public static CkanException Validation(string field, string message) =>
        new(409, "Validation Error", message, new Dictionary<string, List<string>> { [field] = [message] });

    public static CkanException Validation(IReadOnlyDictionary<string, List<string>> fields) =>
        new(409, "Validation Error", string.Join("; ", fields.SelectMany(f => f.Value.Select(v => f.Key + ": " + v))), fields);

    /// <summary>CKAN's "Missing value" for a required parameter.</summary>
    public static CkanException Missing(string field) => Validation(field, "Missing value");
}
