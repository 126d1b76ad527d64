using Retail.Modules.Payments.Domain.Payments;

namespace Retail.Modules.Payments.UnitTests;

public sealed class CardNumberTests
{
    [Theory]
    [InlineData("4242424242424242")]
    [InlineData("4111 1111 1111 1111")]
    [InlineData("5555-5555-5555-4444")]
    [InlineData("378282246310005")]
    [InlineData("4000000000000002")]
    public void Luhn_valid_numbers_pass(string number) => CardNumbers.IsValid(number).ShouldBeTrue();

    [Theory]
    [InlineData("4242424242424241")]
    [InlineData("4111 1111 1111 1112")]
    [InlineData("42424242424242a2")]
    [InlineData("4242")]
    [InlineData("")]
    [InlineData(null)]
    public void Everything_else_fails(string? number) => CardNumbers.IsValid(number).ShouldBeFalse();

    [Fact]
    public void Only_the_last_four_digits_are_ever_shown() =>
        CardNumbers.Mask("4242 4242 4242 4242").ShouldBe("**** 4242");
}
