using Microsoft.Extensions.Localization;

namespace OpenGov.Council;

/// <summary>Marker for the council's strings (keys are Japanese; English in CouncilText.en.resx).</summary>
public sealed class CouncilText;

public static class CouncilTextExtensions
{
    /// <summary>The refusal in the user's language.</summary>
    public static string Explain(this IStringLocalizer<CouncilText> t, CouncilException e) => t[e.Message, e.Args];
}
