namespace OpenGov.Showcases.Pages;

/// <summary>
/// A page of <see cref="ShowcaseHistory"/> lines as the partial _History draws them (a showcase's 「変更履歴」, the
/// showcase admins' changes): the lines, the page shown and how many there are, the page's own path for the page
/// links, and the API that answers the same (none for the admins' changes).
/// </summary>
public sealed record HistoryView(List<ShowcaseHistory.Line> Lines, int Page, int PageCount, string Here, string? Api);
