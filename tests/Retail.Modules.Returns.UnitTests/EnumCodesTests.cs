using Retail.Modules.Returns.Application.Returns;
using Retail.Modules.Returns.Domain.Returns;

namespace Retail.Modules.Returns.UnitTests;

public sealed class EnumCodesTests
{
    [Theory]
    [InlineData("STORE_CREDIT", Disposition.StoreCredit)]
    [InlineData("store-credit", Disposition.StoreCredit)]
    [InlineData(" StoreCredit ", Disposition.StoreCredit)]
    [InlineData("refund", Disposition.Refund)]
    public void A_code_in_any_of_its_spellings_is_accepted(string text, Disposition expected) =>
        EnumCodes.Parse<Disposition>(text).ShouldBe(expected);

    [Theory]
    [InlineData("defective,wrong_item")] // 0 | 1 = WrongItem
    [InlineData("wrong_item,not_as_described")] // 1 | 2 = ChangedMind
    [InlineData("WRONG_ITEM, NOT_AS_DESCRIBED")]
    [InlineData("1")]
    [InlineData("-1")]
    [InlineData("")]
    [InlineData("lost")]
    public void Anything_but_exactly_one_code_is_refused(string text) =>
        EnumCodes.Parse<ReturnReason>(text).ShouldBeNull($"'{text}' is not one return reason");
}
