using FluentValidation;

namespace Retail.Modules.Catalog.UnitTests.Application;

internal static class ValidationAssertions
{
    /// <summary>The command fails validation, and only on <paramref name="property"/>.</summary>
    public static void ShouldFailOnlyOn<T>(this IValidator<T> validator, T instance, string property)
    {
        var result = validator.Validate(instance);

        result.IsValid.ShouldBeFalse($"expected an error on {property}");
        result.Errors.Select(e => e.PropertyName).Distinct().ShouldBe(
            [property],
            $"errors: {string.Join("; ", result.Errors.Select(e => $"{e.PropertyName}: {e.ErrorMessage}"))}");
    }

    public static void ShouldPass<T>(this IValidator<T> validator, T instance)
    {
        var result = validator.Validate(instance);

        result.Errors.ShouldBeEmpty(string.Join("; ", result.Errors.Select(e => $"{e.PropertyName}: {e.ErrorMessage}")));
        result.IsValid.ShouldBeTrue();
    }
}
