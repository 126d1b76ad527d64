using System.Diagnostics.CodeAnalysis;

namespace Retail.BuildingBlocks.Application;

/// <summary>What kind of expected failure an <see cref="Error"/> is; decides the HTTP status and how pages show it.</summary>
public enum ErrorKind
{
    Validation,
    NotFound,
    Conflict,
    Unauthorized,
    Forbidden,
    RateLimited,
    Unavailable,
    Unprocessable,
}

/// <summary>An expected failure with a stable machine code (for API clients) and a message fit for users.</summary>
public sealed record Error(string Code, string Message, ErrorKind Kind)
{
    /// <summary>Field name → messages, for validation failures.</summary>
    public IReadOnlyDictionary<string, string[]> FieldErrors { get; init; } = new Dictionary<string, string[]>();

    /// <summary>For rate-limited and unavailable errors: when the caller may try again.</summary>
    public TimeSpan? RetryAfter { get; init; }

    public static Error NotFound(string code, string message) => new(code, message, ErrorKind.NotFound);

    public static Error Conflict(string code, string message) => new(code, message, ErrorKind.Conflict);

    public static Error Unprocessable(string code, string message) => new(code, message, ErrorKind.Unprocessable);

    public static Error Forbidden() => new("forbidden", "You do not have access to this.", ErrorKind.Forbidden);

    public static Error Unauthorized() => new("unauthorized", "Please sign in first.", ErrorKind.Unauthorized);

    public static Error Validation(IReadOnlyDictionary<string, string[]> fieldErrors) =>
        new("validation_failed", "One or more fields are not valid.", ErrorKind.Validation) { FieldErrors = fieldErrors };
}

/// <summary>Outcome of a command: success, or an expected <see cref="Error"/>.</summary>
public class Result
{
    protected Result(Error? error) => Error = error;

    public Error? Error { get; }

    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Error is null;

    public static Result Success() => new(null);

    public static Result Failure(Error error) => new(error ?? throw new ArgumentNullException(nameof(error)));

    public static Result<TValue> Success<TValue>(TValue value) => Result<TValue>.Success(value);

    public static implicit operator Result(Error error) => Failure(error);
}

/// <summary>Outcome of a command or query that yields a value.</summary>
public sealed class Result<TValue> : Result
{
    private readonly TValue? _value;

    private Result(TValue? value, Error? error)
        : base(error) => _value = value;

    /// <summary>The value; reading it from a failure is a programming error.</summary>
    public TValue Value => IsSuccess ? _value! : throw new InvalidOperationException($"Result failed with {Error.Code}; it has no value.");

    public static Result<TValue> Success(TValue value) => new(value, null);

    public static new Result<TValue> Failure(Error error) => new(default, error ?? throw new ArgumentNullException(nameof(error)));

    public static implicit operator Result<TValue>(TValue value) => Success(value);

    public static implicit operator Result<TValue>(Error error) => Failure(error);
}

/// <summary>Builds a failed <c>Result</c> or <c>Result&lt;T&gt;</c> for a behavior that only knows the response type.</summary>
public static class ResultFactory<TResponse>
{
    private static readonly Func<Error, TResponse>? Factory = Create();

    public static bool IsResult => Factory is not null;

    public static TResponse Failure(Error error) =>
        Factory is null ? throw new InvalidOperationException($"{typeof(TResponse).Name} is not a Result type.") : Factory(error);

    private static Func<Error, TResponse>? Create()
    {
        if (typeof(TResponse) == typeof(Result))
        {
            return e => (TResponse)(object)Result.Failure(e);
        }

        if (typeof(TResponse).IsGenericType && typeof(TResponse).GetGenericTypeDefinition() == typeof(Result<>))
        {
            var method = typeof(TResponse).GetMethod(nameof(Result.Failure), [typeof(Error)])!;
            return e => (TResponse)method.Invoke(null, [e])!;
        }

        return null;
    }
}
