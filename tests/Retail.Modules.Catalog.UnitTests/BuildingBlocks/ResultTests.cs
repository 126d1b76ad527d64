using Retail.BuildingBlocks.Application;

namespace Retail.Modules.Catalog.UnitTests.BuildingBlocks;

public sealed class ResultTests
{
    private static readonly Error NotFound = Error.NotFound("catalog.product_not_found", "No product with SKU 'X'.");

    [Fact]
    public void Success_has_no_error()
    {
        var result = Result.Success();

        result.IsSuccess.ShouldBeTrue();
        result.Error.ShouldBeNull();
    }

    [Fact]
    public void Failure_carries_the_error()
    {
        var result = Result.Failure(NotFound);

        result.IsSuccess.ShouldBeFalse();
        result.Error.ShouldBeSameAs(NotFound);
    }

    [Fact]
    public void Failure_without_an_error_is_a_programming_error()
    {
        Should.Throw<ArgumentNullException>(() => Result.Failure(null!));
        Should.Throw<ArgumentNullException>(() => Result<int>.Failure(null!));
    }

    [Fact]
    public void An_error_converts_implicitly_to_a_failed_result()
    {
        Result result = NotFound;

        result.IsSuccess.ShouldBeFalse();
        result.Error.ShouldBeSameAs(NotFound);
    }

    [Fact]
    public void A_value_converts_implicitly_to_a_successful_result()
    {
        Result<int> result = 42;

        result.IsSuccess.ShouldBeTrue();
        result.Value.ShouldBe(42);
        result.Error.ShouldBeNull();
    }

    [Fact]
    public void An_error_converts_implicitly_to_a_failed_result_of_T()
    {
        Result<string> result = NotFound;

        result.IsSuccess.ShouldBeFalse();
        result.Error.ShouldBeSameAs(NotFound);
    }

    [Fact]
    public void Reading_the_value_of_a_failure_throws_and_names_the_error_code()
    {
        var result = Result<int>.Failure(NotFound);

        Should.Throw<InvalidOperationException>(() => result.Value).Message.ShouldContain("catalog.product_not_found");
    }

    [Fact]
    public void Success_of_T_keeps_the_value_including_null_like_defaults()
    {
        Result.Success("BK-1").Value.ShouldBe("BK-1");
        Result<int>.Success(0).IsSuccess.ShouldBeTrue();
        Result<int>.Success(0).Value.ShouldBe(0);
    }

    [Fact]
    public void A_result_of_T_is_a_result()
    {
        Result result = Result<int>.Failure(NotFound);

        result.IsSuccess.ShouldBeFalse();
        result.ShouldBeOfType<Result<int>>();
    }

    [Fact]
    public void Error_factories_set_the_kind()
    {
        Error.NotFound("a", "b").Kind.ShouldBe(ErrorKind.NotFound);
        Error.Conflict("a", "b").Kind.ShouldBe(ErrorKind.Conflict);
        Error.Unprocessable("a", "b").Kind.ShouldBe(ErrorKind.Unprocessable);
        Error.Forbidden().ShouldSatisfyAllConditions(e => e.Kind.ShouldBe(ErrorKind.Forbidden), e => e.Code.ShouldBe("forbidden"));
        Error.Unauthorized().ShouldSatisfyAllConditions(e => e.Kind.ShouldBe(ErrorKind.Unauthorized), e => e.Code.ShouldBe("unauthorized"));
    }

    [Fact]
    public void A_validation_error_carries_its_field_errors()
    {
        var fields = new Dictionary<string, string[]> { ["Price"] = ["A price cannot be negative."] };

        var error = Error.Validation(fields);

        error.Kind.ShouldBe(ErrorKind.Validation);
        error.Code.ShouldBe("validation_failed");
        error.FieldErrors["Price"].ShouldBe(["A price cannot be negative."]);
    }

    [Fact]
    public void Other_errors_have_no_field_errors()
    {
        NotFound.FieldErrors.ShouldBeEmpty();
        NotFound.RetryAfter.ShouldBeNull();
    }
}

public sealed class ResultFactoryTests
{
    private static readonly Error Conflict = Error.Conflict("catalog.duplicate_sku", "Taken.");

    [Fact]
    public void Builds_a_failed_result_of_int()
    {
        ResultFactory<Result<int>>.IsResult.ShouldBeTrue();

        var result = ResultFactory<Result<int>>.Failure(Conflict);

        result.ShouldBeOfType<Result<int>>();
        result.IsSuccess.ShouldBeFalse();
        result.Error.ShouldBeSameAs(Conflict);
    }

    [Fact]
    public void Builds_a_failed_plain_result()
    {
        ResultFactory<Result>.IsResult.ShouldBeTrue();

        var result = ResultFactory<Result>.Failure(Conflict);

        result.IsSuccess.ShouldBeFalse();
        result.Error.ShouldBeSameAs(Conflict);
    }

    [Fact]
    public void Builds_a_failed_result_of_a_reference_type()
    {
        var result = ResultFactory<Result<IReadOnlyList<string>>>.Failure(Conflict);

        result.IsSuccess.ShouldBeFalse();
        result.Error.ShouldBeSameAs(Conflict);
    }

    [Fact]
    public void Refuses_a_response_that_is_not_a_result()
    {
        ResultFactory<int>.IsResult.ShouldBeFalse();
        ResultFactory<string>.IsResult.ShouldBeFalse();

        Should.Throw<InvalidOperationException>(() => ResultFactory<string>.Failure(Conflict));
    }
}

public sealed class UserMessagesTests
{
    [Theory]
    [InlineData(0.2, 1)]
    [InlineData(59.1, 60)]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(1.001, 2)]
    [InlineData(30, 30)]
    public void RateLimitedWithSeconds_rounds_the_wait_up_to_whole_seconds(double seconds, int shown)
    {
        UserMessages.RateLimitedWithSeconds(TimeSpan.FromSeconds(seconds))
            .ShouldBe($"Too many requests. Please wait and try again. (retry in {shown} seconds)");
    }

    [Fact]
    public void RateLimitedWithSeconds_starts_with_the_promised_text()
    {
        UserMessages.RateLimitedWithSeconds(TimeSpan.FromSeconds(5)).ShouldStartWith(UserMessages.RateLimited);
    }
}

public sealed class PagedResultTests
{
    [Theory]
    [InlineData(0, 24, 0)]
    [InlineData(1, 24, 1)]
    [InlineData(24, 24, 1)]
    [InlineData(25, 24, 2)]
    [InlineData(100, 10, 10)]
    [InlineData(101, 10, 11)]
    [InlineData(5, 1, 5)]
    public void TotalPages_rounds_up(int totalCount, int pageSize, int totalPages)
    {
        new PagedResult<string>([], 1, pageSize, totalCount).TotalPages.ShouldBe(totalPages);
    }

    [Fact]
    public void Previous_and_next_follow_the_page()
    {
        var first = new PagedResult<string>(["a"], 1, 10, 25);
        var middle = first with { Page = 2 };
        var last = first with { Page = 3 };

        (first.HasPrevious, first.HasNext).ShouldBe((false, true));
        (middle.HasPrevious, middle.HasNext).ShouldBe((true, true));
        (last.HasPrevious, last.HasNext).ShouldBe((true, false));
        new PagedResult<string>([], 1, 10, 0).HasNext.ShouldBeFalse();
    }

    [Fact]
    public void The_largest_page_is_100()
    {
        PagedResult<string>.MaxPageSize.ShouldBe(100);
    }
}
