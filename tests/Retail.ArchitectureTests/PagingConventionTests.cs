using System.Reflection;
using System.Runtime.CompilerServices;
using FluentValidation;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Messaging;

namespace Retail.ArchitectureTests;

/// <summary>
/// Every request with a page number has a validator that bounds it (<see cref="Paging.ValidPage{T}"/>). Lists read from
/// <c>(Page - 1) * PageSize</c>: an unbounded page number wrapped that offset negative and answered a huge page with the
/// first one, a defect found in nine lists one at a time; this finds the next list that forgets.
/// </summary>
public sealed class PagingConventionTests
{
    private static IReadOnlyList<Type> PagedRequestTypes { get; } =
        [.. ArchAssert.WrittenTypes(ModuleTable.AllModuleAssemblies)
            .Where(t => !t.IsAbstract && t.GetInterfaces().Any(IsRequestInterface) && t.GetProperty("Page")?.PropertyType == typeof(int))
            .OrderBy(t => t.FullName, StringComparer.Ordinal)];

    public static TheoryData<string> PagedRequests
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var type in PagedRequestTypes)
            {
                data.Add(type.FullName!);
            }

            return data;
        }
    }

    [Fact]
    public void The_scan_finds_the_paged_requests()
    {
        PagedRequestTypes.Count.ShouldBeGreaterThanOrEqualTo(9);
        PagedRequestTypes.ShouldContain(t => t.Name == "SearchProductsQuery");
        PagedRequestTypes.ShouldContain(t => t.Name == "GetMyOrdersQuery");
    }

    [Theory]
    [MemberData(nameof(PagedRequests))]
    public void A_page_number_is_bounded_by_the_requests_validator(string requestType)
    {
        var type = PagedRequestTypes.Single(t => t.FullName == requestType);
        var validatorType = ArchAssert.WrittenTypes(ModuleTable.AllModuleAssemblies)
            .SingleOrDefault(t => !t.IsAbstract && typeof(AbstractValidator<>).MakeGenericType(type).IsAssignableFrom(t));
        validatorType.ShouldNotBeNull($"{type.Name} has a page number but no validator");
        var validator = (IValidator)Activator.CreateInstance(validatorType, nonPublic: true)!;

        Errors(validator, type, Paging.MaxPage).ShouldBeEmpty($"{type.Name}: the last page allowed");
        Errors(validator, type, Paging.MaxPage + 1).ShouldNotBeEmpty($"{type.Name}: a page past {Paging.MaxPage}");
        Errors(validator, type, int.MaxValue).ShouldNotBeEmpty($"{type.Name}: a page past int range");
        Errors(validator, type, 0).ShouldNotBeEmpty($"{type.Name}: page 0");
    }

    private static bool IsRequestInterface(Type i) =>
        i == typeof(ICommand) || (i.IsGenericType && (i.GetGenericTypeDefinition() == typeof(IQuery<>) || i.GetGenericTypeDefinition() == typeof(ICommand<>)));

    // Only the page rule runs: the request is built without its other values, which other rules (lookups) would need.
    private static IReadOnlyList<string> Errors(IValidator validator, Type type, int page)
    {
        var request = RuntimeHelpers.GetUninitializedObject(type);
        type.GetProperty("Page")!.SetValue(request, page);
        var context = (IValidationContext)Activator.CreateInstance(
            typeof(ValidationContext<>).MakeGenericType(type),
            request,
            new FluentValidation.Internal.PropertyChain(),
            new FluentValidation.Internal.MemberNameValidatorSelector(["Page"]))!;
        return [.. validator.Validate(context).Errors.Select(e => e.ErrorMessage)];
    }
}
