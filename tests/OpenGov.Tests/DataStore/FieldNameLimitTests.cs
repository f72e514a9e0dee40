using System.Text;
using OpenGov.DataStore;

namespace OpenGov.Tests.DataStore;

public sealed class FieldNameLimitTests
{
    [Fact]
    public void Names_within_sixty_bytes_are_kept_as_they_are()
    {
        Assert.Equal("公表_年月日", FieldNameLimit.Shorten("公表_年月日"));
        var sixty = new string('あ', 20);
        Assert.Equal(sixty, FieldNameLimit.Shorten(sixty));
    }

    [Fact]
    public void Columns_under_one_long_group_keep_their_own_part_and_stay_apart()
    {
        const string Group = "（再掲）児童数（特別支援学級在籍者・複式学級在籍者を除く）";
        var names = new[] { "_計", "_１年", "_２年" }.Select(c => FieldNameLimit.Shorten(Group + c)).ToList();
        Assert.Equal(3, names.Distinct().Count());
        Assert.All(names, n => Assert.True(Encoding.UTF8.GetByteCount(n) <= FieldNameLimit.MaxBytes, n));
        Assert.EndsWith("_１年", names[1], StringComparison.Ordinal);
        Assert.StartsWith("（再掲）児童数", names[1], StringComparison.Ordinal);
    }

    [Fact]
    public void A_long_question_keeps_its_beginning()
    {
        var n = FieldNameLimit.Shorten("幸福度・満足度_現在、あなたはどの程度幸せですか。「とても幸せ」を 10 点、「とても不幸」を0点とすると、何点くらいになると思いますか。");
        Assert.StartsWith("幸福度・満足度_現在、あなたは", n, StringComparison.Ordinal);
        Assert.True(Encoding.UTF8.GetByteCount(n) <= FieldNameLimit.MaxBytes);
    }

    [Fact]
    public void A_character_outside_the_basic_plane_is_never_cut_in_half()
    {
        var name = new string('あ', 19) + "𠮷𠮷𠮷"; // 57 bytes, then 4-byte characters
        var n = FieldNameLimit.Shorten(name);
        Assert.Equal(new string('あ', 19), n);
        Assert.False(char.IsHighSurrogate(n[^1]));
    }
}
