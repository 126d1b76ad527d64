using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Retail.BuildingBlocks.Application;

namespace Retail.BuildingBlocks.Infrastructure.Web;

/// <summary>
/// A minimal API argument that could not be created (a JSON value of the wrong type, a query parameter that is not a
/// number) as a validation error naming the field as the caller sent it (<c>items[0].quantity</c>, <c>page</c>) and what
/// it must be. The caller's value is never repeated: it may be huge or hostile.
/// </summary>
internal static partial class BindingFailures
{
    /// <summary>Longest field name a problem repeats; a longer one is a dictionary key a caller made up.</summary>
    private const int MaxFieldLength = 100;

    /// <summary>The field and message of <paramref name="exception"/>, or null when it is not about one value (broken JSON syntax).</summary>
    public static Error? Describe(BadHttpRequestException exception, Endpoint? endpoint)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception.InnerException is JsonException json)
        {
            // A syntax error (the reader's own exception inside) is about the body, not one of its values.
            if (json.InnerException is JsonException || json.Path is null)
            {
                return null;
            }

            var bodyType = endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType;
            var (path, type) = JsonField(json.Path, bodyType);
            return Invalid(path, ExpectedJson(type));
        }

        // The request delegate names the parameter (as declared in code, so never the caller's text) before the value.
        var failed = FailedParameter().Match(exception.Message);
        if (!failed.Success)
        {
            return null;
        }

        var name = failed.Groups["name"].Value;
        var parameter = endpoint?.Metadata.GetMetadata<MethodInfo>()?.GetParameters().FirstOrDefault(p => p.Name == name);
        var field = parameter is null ? name : RequestName(parameter);
        return failed.Groups["missing"].Success
            ? Invalid(field, "Is required.")
            : Invalid(field, ExpectedText(parameter?.ParameterType));
    }

    private static Error Invalid(string field, string message) =>
        Error.Validation(new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>The name the caller uses: the one a <c>[FromQuery(Name = …)]</c> (or route, header) gives, else the parameter's.</summary>
    private static string RequestName(ParameterInfo parameter)
    {
        var named = parameter.GetCustomAttributes().Select(a => a switch
        {
            IFromQueryMetadata q => q.Name,
            IFromRouteMetadata r => r.Name,
            IFromHeaderMetadata h => h.Name,
            _ => null,
        }).FirstOrDefault(n => !string.IsNullOrEmpty(n));
        return named ?? parameter.Name!;
    }

    /// <summary>
    /// <c>$.items[0].quantity</c> as <c>items[0].quantity</c>, with the .NET type the value was read as, found by walking the
    /// body's type. Property names are the body type's own (camelCase), so the caller's spelling is not repeated; a
    /// dictionary key is kept only while it is short and plain.
    /// </summary>
    private static (string Field, Type? Type) JsonField(string path, Type? bodyType)
    {
        var field = new StringBuilder();
        var type = bodyType;
        foreach (Match segment in PathSegment().Matches(path))
        {
            if (segment.Groups["index"].Success)
            {
                field.Append('[').Append(segment.Groups["index"].Value).Append(']');
                type = type is null ? null : ElementType(type);
                continue;
            }

            var name = segment.Groups["name"].Success ? segment.Groups["name"].Value : segment.Groups["quoted"].Value;
            if (type is not null && DictionaryValueType(type) is { } valueType)
            {
                if (name.Length > 40 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
                {
                    return (field.Length == 0 ? "body" : field.ToString(), valueType);
                }

                type = valueType;
            }
            else
            {
                var property = type?.GetProperties(BindingFlags.Public | BindingFlags.Instance).FirstOrDefault(p =>
                    string.Equals(JsonName(p), name, StringComparison.OrdinalIgnoreCase));
                if (property is null)
                {
                    // Not a property of the body (it cannot be, or the value would have been skipped): say no more than the part known.
                    return (field.Length == 0 ? "body" : field.ToString(), null);
                }

                name = JsonName(property);
                type = property.PropertyType;
            }

            if (field.Length > 0)
            {
                field.Append('.');
            }

            field.Append(name);
            if (field.Length > MaxFieldLength)
            {
                return ("body", null);
            }
        }

        return (field.Length == 0 ? "body" : field.ToString(), type);
    }

    private static string JsonName(PropertyInfo property) =>
        property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(property.Name);

    private static Type? ElementType(Type type) =>
        type.IsArray ? type.GetElementType()
        : EnumerableOf(type)?.GetGenericArguments()[0];

    private static Type? EnumerableOf(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IEnumerable<>) ? type
        : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>));

    private static Type? DictionaryValueType(Type type)
    {
        var pair = EnumerableOf(type)?.GetGenericArguments()[0];
        return pair is { IsGenericType: true } && pair.GetGenericTypeDefinition() == typeof(KeyValuePair<,>) && type != typeof(string)
            ? pair.GetGenericArguments()[1]
            : null;
    }

    /// <summary>What a JSON value must be: numbers and booleans as JSON numbers and literals, not strings.</summary>
    private static string ExpectedJson(Type? type)
    {
        var underlying = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
        if (underlying is not null && (IsNumber(underlying) || underlying == typeof(bool)))
        {
            return ExpectedText(underlying).TrimEnd('.') + ", written without quotes.";
        }

        if (underlying == typeof(string))
        {
            return "Must be text in quotes.";
        }

        if (underlying is not null && DictionaryValueType(underlying) is null && ElementType(underlying) is not null)
        {
            return "Must be a list in square brackets.";
        }

        if (underlying is { IsClass: true } && underlying != typeof(object))
        {
            return "Must be an object in curly braces.";
        }

        return ExpectedText(underlying);
    }

    /// <summary>What a value of <paramref name="type"/> must look like, in plain words (the same for a query and a JSON value).</summary>
    private static string ExpectedText(Type? type)
    {
        var t = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
        return t switch
        {
            _ when t == typeof(int) => WholeNumber(int.MinValue, int.MaxValue),
            _ when t == typeof(long) => WholeNumber(long.MinValue, long.MaxValue),
            _ when t == typeof(short) => WholeNumber(short.MinValue, short.MaxValue),
            _ when t == typeof(byte) => WholeNumber(byte.MinValue, byte.MaxValue),
            _ when t == typeof(uint) => WholeNumber(uint.MinValue, uint.MaxValue),
            _ when t == typeof(ulong) => "Must be a whole number from 0 to 18446744073709551615.",
            _ when t == typeof(ushort) => WholeNumber(ushort.MinValue, ushort.MaxValue),
            _ when t == typeof(sbyte) => WholeNumber(sbyte.MinValue, sbyte.MaxValue),
            _ when t == typeof(decimal) => "Must be a number of at most 28 digits.",
            _ when t == typeof(double) || t == typeof(float) => "Must be a number.",
            _ when t == typeof(bool) => "Must be true or false.",
            _ when t == typeof(Guid) => "Must be an id such as 3fa85f64-5717-4562-b3fc-2c963f66afa6.",
            _ when t == typeof(DateOnly) => "Must be a date such as 2025-01-31.",
            _ when t == typeof(DateTime) || t == typeof(DateTimeOffset) => "Must be a date and time such as 2025-01-31T09:30:00Z.",
            _ when t == typeof(TimeSpan) => "Must be a duration such as 00:30:00.",
            { IsEnum: true } => "Must be one of: " + string.Join(", ", Enum.GetNames(t)) + ".",
            _ => "Is not a valid value.",
        };
    }

    private static string WholeNumber(long min, long max) =>
        string.Create(CultureInfo.InvariantCulture, $"Must be a whole number from {min} to {max}.");

    private static bool IsNumber(Type t) =>
        t == typeof(int) || t == typeof(long) || t == typeof(short) || t == typeof(byte) || t == typeof(uint) || t == typeof(ulong)
        || t == typeof(ushort) || t == typeof(sbyte) || t == typeof(decimal) || t == typeof(double) || t == typeof(float);

    /// <summary>"Failed to bind parameter "int? page" from "…"." and "Required parameter "int page" was not provided …".</summary>
    [GeneratedRegex("""^(?:Failed to bind parameter|(?<missing>Required parameter)) "[^"]* (?<name>[A-Za-z_][A-Za-z0-9_]*)" """, RegexOptions.CultureInvariant)]
    private static partial Regex FailedParameter();

    /// <summary>Segments of a System.Text.Json path: <c>.name</c>, <c>['name']</c>, <c>[0]</c>.</summary>
    [GeneratedRegex("""\.(?<name>[^.\[]+)|\['(?<quoted>(?:[^']|'')*)'\]|\[(?<index>[0-9]+)\]""", RegexOptions.CultureInvariant)]
    private static partial Regex PathSegment();
}
