using Microsoft.Extensions.Localization;

namespace OpenGov.Harvest.Pages;

/// <summary>Words the harvest pages share.</summary>
public static class HarvestPageText
{
    public static string Status(IStringLocalizer<HarvestText> t, string status) => status switch
    {
        HarvestJobStatus.New => t["待機中"],
        HarvestJobStatus.Running => t["実行中"],
        HarvestJobStatus.Finished => t["完了"],
        _ => t["失敗"],
    };
}
