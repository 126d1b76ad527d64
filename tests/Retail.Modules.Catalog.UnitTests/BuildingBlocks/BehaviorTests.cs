using FluentValidation;
using Microsoft.Extensions.DependencyInjection;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Behaviors;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.BuildingBlocks.Application.Security;
using Retail.Modules.Catalog.Application.Products.AdjustStock;
using Retail.Modules.Catalog.Application.Products.CreateProduct;
using Retail.Modules.Catalog.Application.Products.SearchProducts;

namespace Retail.Modules.Catalog.UnitTests.BuildingBlocks;

/// <summary>Stands in for the rest of the pipeline: records whether it was reached and returns a fixed response.</summary>
internal sealed class NextSpy<TMessage, TResponse>(TResponse response)
    where TMessage : notnull, Mediator.IMessage
{
    public int Calls { get; private set; }

    public TMessage? Received { get; private set; }

    public Mediator.MessageHandlerDelegate<TMessage, TResponse> Delegate => (message, _) =>
    {
        Calls++;
        Received = message;
        return ValueTask.FromResult(response);
    };
}

/// <summary>A request that only needs a signed-in user.</summary>
[Authenticated]
public sealed record WhoAmIQuery : IQuery<string>;

/// <summary>A protected request whose response is not a Result: the behaviors must throw instead.</summary>
[AuthorizeRoles(Roles.Finance)]
public sealed record PlainRequest(string Name) : Mediator.IRequest<int>;

public sealed class PlainRequestValidator : AbstractValidator<PlainRequest>
{
    public PlainRequestValidator() => RuleFor(r => r.Name).NotEmpty();
}

public sealed class AuthorizationBehaviorTests
{
    private static readonly AdjustStockCommand AdjustStock = new("BK-001", 5, "delivery");

    private static async Task<(Result<int> Result, NextSpy<AdjustStockCommand, Result<int>> Next)> SendAdjustStock(FakeCurrentUser user)
    {
        var next = new NextSpy<AdjustStockCommand, Result<int>>(Result<int>.Success(42));
        var behavior = new AuthorizationBehavior<AdjustStockCommand, Result<int>>(user);

        var result = await behavior.Handle(AdjustStock, next.Delegate, CancellationToken.None);
        return (result, next);
    }

    [Fact]
    public async Task Anonymous_is_unauthorized_and_the_handler_is_not_reached()
    {
        var (result, next) = await SendAdjustStock(FakeCurrentUser.Anonymous);

        result.IsSuccess.ShouldBeFalse();
        result.Error.Kind.ShouldBe(ErrorKind.Unauthorized);
        result.Error.Code.ShouldBe("unauthorized");
        next.Calls.ShouldBe(0);
    }

    [Fact]
    public async Task A_customer_is_forbidden_and_the_handler_is_not_reached()
    {
        var (result, next) = await SendAdjustStock(FakeCurrentUser.InRoles(Roles.Customer));

        result.IsSuccess.ShouldBeFalse();
        result.Error.Kind.ShouldBe(ErrorKind.Forbidden);
        next.Calls.ShouldBe(0);
    }

    [Fact]
    public async Task A_signed_in_user_without_roles_is_forbidden()
    {
        var (result, next) = await SendAdjustStock(FakeCurrentUser.InRoles());

        result.Error.ShouldNotBeNull().Kind.ShouldBe(ErrorKind.Forbidden);
        next.Calls.ShouldBe(0);
    }

    [Theory]
    [InlineData(Roles.Warehouse)]
    [InlineData(Roles.CatalogAdmin)]
    [InlineData(Roles.Admin)]
    [InlineData(Roles.SuperAdmin)]
    public async Task Listed_roles_admins_and_super_admins_pass_through_to_the_handler(string role)
    {
        var (result, next) = await SendAdjustStock(FakeCurrentUser.InRoles(Roles.Customer, role));

        next.Calls.ShouldBe(1);
        next.Received.ShouldBe(AdjustStock);
        result.IsSuccess.ShouldBeTrue();
        result.Value.ShouldBe(42);
    }

    [Theory]
    [InlineData(Roles.Support)]
    [InlineData(Roles.Finance)]
    [InlineData(Roles.Partner)]
    public async Task Other_staff_roles_are_forbidden(string role)
    {
        var (result, next) = await SendAdjustStock(FakeCurrentUser.InRoles(role));

        result.Error.ShouldNotBeNull().Kind.ShouldBe(ErrorKind.Forbidden);
        next.Calls.ShouldBe(0);
    }

    [Fact]
    public async Task The_roles_come_from_the_request_attribute()
    {
        // CreateProduct is for catalog admins only: a warehouse user may adjust stock but not create products.
        var next = new NextSpy<CreateProductCommand, Result<string>>(Result<string>.Success("BK-1"));
        var behavior = new AuthorizationBehavior<CreateProductCommand, Result<string>>(FakeCurrentUser.InRoles(Roles.Warehouse));

        var result = await behavior.Handle(new CreateProductCommand("BK-1", "Name", null, "books", 1m, 0, null), next.Delegate, CancellationToken.None);

        result.Error.ShouldNotBeNull().Kind.ShouldBe(ErrorKind.Forbidden);
        next.Calls.ShouldBe(0);
    }

    [Fact]
    public async Task A_request_without_attributes_is_open_to_anonymous_users()
    {
        var page = new PagedResult<Catalog.Application.Products.ProductSummaryDto>([], 1, 24, 0);
        var next = new NextSpy<SearchProductsQuery, Result<PagedResult<Catalog.Application.Products.ProductSummaryDto>>>(page);
        var user = FakeCurrentUser.Anonymous;
        var behavior = new AuthorizationBehavior<SearchProductsQuery, Result<PagedResult<Catalog.Application.Products.ProductSummaryDto>>>(user);

        var result = await behavior.Handle(new SearchProductsQuery(null, null), next.Delegate, CancellationToken.None);

        next.Calls.ShouldBe(1);
        result.Value.ShouldBeSameAs(page);
        user.RolesAskedFor.ShouldBeEmpty();
    }

    [Fact]
    public async Task An_authenticated_only_request_needs_a_user_but_no_role()
    {
        var anonymousNext = new NextSpy<WhoAmIQuery, Result<string>>("me");
        var anonymous = await new AuthorizationBehavior<WhoAmIQuery, Result<string>>(FakeCurrentUser.Anonymous)
            .Handle(new WhoAmIQuery(), anonymousNext.Delegate, CancellationToken.None);
        var signedInNext = new NextSpy<WhoAmIQuery, Result<string>>("me");
        var signedIn = await new AuthorizationBehavior<WhoAmIQuery, Result<string>>(FakeCurrentUser.InRoles())
            .Handle(new WhoAmIQuery(), signedInNext.Delegate, CancellationToken.None);

        anonymous.Error.ShouldNotBeNull().Kind.ShouldBe(ErrorKind.Unauthorized);
        anonymousNext.Calls.ShouldBe(0);
        signedIn.Value.ShouldBe("me");
        signedInNext.Calls.ShouldBe(1);
    }

    [Fact]
    public async Task A_response_that_is_not_a_result_makes_the_denial_an_exception()
    {
        var next = new NextSpy<PlainRequest, int>(1);

        await Should.ThrowAsync<UnauthorizedAccessException>(async () =>
            await new AuthorizationBehavior<PlainRequest, int>(FakeCurrentUser.InRoles(Roles.Customer)).Handle(new PlainRequest("x"), next.Delegate, CancellationToken.None));

        next.Calls.ShouldBe(0);
    }
}

public sealed class ValidationBehaviorTests
{
    private static readonly IServiceProvider NoServices = new ServiceCollection().BuildServiceProvider();

    private sealed record RequestMarker(string Value);

    [Fact]
    public async Task A_rule_takes_the_requests_services_from_the_validation_context_and_says_so_when_run_without_them()
    {
        var services = new ServiceCollection().AddScoped(_ => new RequestMarker("this request")).BuildServiceProvider();
        await using var scope = services.CreateAsyncScope();
        var next = new NextSpy<WhoAmICommand, Result>(Result.Success());
        var seen = new List<RequestMarker>();
        var validator = new InlineValidator<WhoAmICommand>();
        validator.RuleFor(c => c.Name).Must((_, _, context) =>
        {
            seen.Add(context.GetRequiredRequestService<RequestMarker>());
            return true;
        });

        var result = await new ValidationBehavior<WhoAmICommand, Result>([validator], scope.ServiceProvider).Handle(new WhoAmICommand("x"), next.Delegate, CancellationToken.None);

        result.IsSuccess.ShouldBeTrue();
        seen.ShouldBe([scope.ServiceProvider.GetRequiredService<RequestMarker>()]);
        Should.Throw<InvalidOperationException>(() => validator.Validate(new WhoAmICommand("x"))).Message.ShouldContain("ValidationBehavior");
    }

    private static ValidationBehavior<AdjustStockCommand, Result<int>> Behavior(params IValidator<AdjustStockCommand>[] validators) => new(validators, NoServices);

    [Fact]
    public async Task An_invalid_command_fails_with_field_errors_and_the_handler_is_not_reached()
    {
        var next = new NextSpy<AdjustStockCommand, Result<int>>(Result<int>.Success(42));

        var result = await Behavior(new AdjustStockCommandValidator()).Handle(new AdjustStockCommand("BK-001", 0, ""), next.Delegate, CancellationToken.None);

        next.Calls.ShouldBe(0);
        result.IsSuccess.ShouldBeFalse();
        result.Error.Kind.ShouldBe(ErrorKind.Validation);
        result.Error.Code.ShouldBe("validation_failed");
        result.Error.FieldErrors.Keys.ShouldBe(["Delta", "Reason"], ignoreOrder: true);
        result.Error.FieldErrors["Reason"].ShouldBe(["Say why the stock changes."]);
        result.Error.FieldErrors["Delta"].ShouldHaveSingleItem().ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task A_valid_command_reaches_the_handler_and_its_result_is_returned()
    {
        var command = new AdjustStockCommand("BK-001", -2, "damaged");
        var next = new NextSpy<AdjustStockCommand, Result<int>>(Result<int>.Success(42));

        var result = await Behavior(new AdjustStockCommandValidator()).Handle(command, next.Delegate, CancellationToken.None);

        next.Calls.ShouldBe(1);
        next.Received.ShouldBe(command);
        result.Value.ShouldBe(42);
    }

    [Fact]
    public async Task Without_validators_the_command_passes()
    {
        var next = new NextSpy<AdjustStockCommand, Result<int>>(Result<int>.Success(42));

        var result = await Behavior().Handle(new AdjustStockCommand("", 0, ""), next.Delegate, CancellationToken.None);

        next.Calls.ShouldBe(1);
        result.IsSuccess.ShouldBeTrue();
    }

    [Fact]
    public async Task Errors_of_several_validators_are_merged_without_repeating_messages()
    {
        var next = new NextSpy<AdjustStockCommand, Result<int>>(Result<int>.Success(42));
        var skuRequired = new InlineValidator<AdjustStockCommand>();
        skuRequired.RuleFor(c => c.Sku).Must(s => s.StartsWith("BK", StringComparison.Ordinal)).WithMessage("Books only.");

        var result = await Behavior(new AdjustStockCommandValidator(), new AdjustStockCommandValidator(), skuRequired)
            .Handle(new AdjustStockCommand("TOY-1", 5, ""), next.Delegate, CancellationToken.None);

        next.Calls.ShouldBe(0);
        result.Error.ShouldNotBeNull().FieldErrors.Keys.ShouldBe(["Reason", "Sku"], ignoreOrder: true);
        result.Error.FieldErrors["Reason"].ShouldBe(["Say why the stock changes."]);
        result.Error.FieldErrors["Sku"].ShouldBe(["Books only."]);
    }

    [Fact]
    public async Task A_failure_for_a_plain_result_command_is_a_plain_failed_result()
    {
        var next = new NextSpy<WhoAmICommand, Result>(Result.Success());
        var validator = new InlineValidator<WhoAmICommand>();
        validator.RuleFor(c => c.Name).NotEmpty();

        var result = await new ValidationBehavior<WhoAmICommand, Result>([validator], NoServices).Handle(new WhoAmICommand(""), next.Delegate, CancellationToken.None);

        result.IsSuccess.ShouldBeFalse();
        result.Error.FieldErrors.Keys.ShouldBe(["Name"]);
        next.Calls.ShouldBe(0);
    }

    [Fact]
    public async Task A_response_that_is_not_a_result_makes_the_failure_a_ValidationException()
    {
        var next = new NextSpy<PlainRequest, int>(1);

        var thrown = await Should.ThrowAsync<ValidationException>(async () =>
            await new ValidationBehavior<PlainRequest, int>([new PlainRequestValidator()], NoServices).Handle(new PlainRequest(""), next.Delegate, CancellationToken.None));

        thrown.Errors.ShouldHaveSingleItem().PropertyName.ShouldBe("Name");
        next.Calls.ShouldBe(0);
    }
}

public sealed record WhoAmICommand(string Name) : ICommand;
