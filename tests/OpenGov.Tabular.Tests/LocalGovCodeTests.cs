namespace OpenGov.Tabular.Tests;

public class LocalGovCodeTests
{
    [Theory]
    [InlineData("13000", "130001")]
    [InlineData("12100", "121002")]
    [InlineData("08220", "082201")]
    [InlineData("27000", "270008")]
    [InlineData("01205", "012050")]
    [InlineData("40130", "401307")]
    public void Five_digits_complete_to_the_published_six_digit_code(string five, string six)
    {
        Assert.True(LocalGovCode.TryComplete(five, out var code));
        Assert.Equal(six, code);
        Assert.True(LocalGovCode.IsValid(six));
    }

    [Theory]
    [InlineData("012050")]
    [InlineData("072036")]
    [InlineData("221309")]
    [InlineData("240001")]
    [InlineData("242055")]
    [InlineData("292010")]
    [InlineData("412066")]
    [InlineData("431001")]
    [InlineData("452041")]
    [InlineData("252018")]
    [InlineData("022021")]
    [InlineData("142018")]
    public void Council_member_codes_are_valid(string code) => Assert.True(LocalGovCode.IsValid(code));

    [Fact]
    public void Full_width_digits_are_accepted() => Assert.True(LocalGovCode.IsValid("１３０００１"));

    [Theory]
    [InlineData("130002")]
    [InlineData("13000")]
    [InlineData("1300011")]
    [InlineData("13000a")]
    [InlineData("")]
    [InlineData(null)]
    public void Wrong_check_digit_or_shape_is_invalid(string? code) => Assert.False(LocalGovCode.IsValid(code));
}
