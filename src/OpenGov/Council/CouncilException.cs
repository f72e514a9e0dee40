namespace OpenGov.Council;

/// <summary>
/// A refused registry write: <see cref="Exception.Message"/> is the Japanese text (the key of CouncilText.en.resx), formatted with
/// <see cref="Args"/>; <see cref="Field"/> names the input at fault. Status 400, 403 or 404.
/// </summary>
public sealed class CouncilException(int status, string message, string? fieldName = null, params object[] args) : Exception(message)
{
    public int Status => status;

    public string? Field => fieldName;

    public object[] Args => args;

    public static CouncilException Invalid(string field, string message, params object[] args) => new(400, message, field, args);

    public static CouncilException Forbidden() => new(403, "この操作を行う権限がありません。");

    public static CouncilException NotFound() => new(404, "見つかりません。");

    public static CouncilException LoginRequired() => new(401, "ログインしてください。");
}
