using Retail.Modules.Catalog.Application.Products.SearchProducts;

namespace Retail.Modules.Catalog.UnitTests.Application;

public sealed class LikePatternTests
{
    [Theory]
    [InlineData("plain text", "plain text")]
    [InlineData("50%", @"50\%")]
    [InlineData("a_b", @"a\_b")]
    [InlineData(@"C:\temp", @"C:\\temp")]
    [InlineData(@"100%_\", @"100\%\_\\")]
    [InlineData(@"\%", @"\\\%")]
    [InlineData("%%__", @"\%\%\_\_")]
    [InlineData("", "")]
    public void Escape_escapes_percent_underscore_and_the_escape_character(string text, string expected)
    {
        LikePattern.Escape(text).ShouldBe(expected);
    }

    [Fact]
    public void The_escape_character_is_a_backslash()
    {
        LikePattern.EscapeCharacter.ShouldBe(@"\");
    }
}
