using FluentValidation;
using Microsoft.Extensions.Logging;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.BuildingBlocks.Application.Security;
using Retail.Modules.Payments.Application.Abstractions;

namespace Retail.Modules.Payments.Application.Operations.UpdateSimulatorSettings;

/// <summary>
/// Changes the simulated payment gateway at run time (stage an outage, slow it down, make some cards decline).
/// <see cref="IOwnsTransaction"/> because it touches no table: a transaction would only take SQLite's write lock for nothing.
/// </summary>
/// <param name="DeclineCardSuffixes">Comma- or space-separated endings of card numbers that are always declined, e.g. "0002, 9995".</param>
[AuthorizeRoles(Roles.Admin)]
public sealed record UpdateSimulatorSettingsCommand(int LatencyMs, decimal FailurePercent, decimal TimeoutPercent, bool Outage, string? DeclineCardSuffixes)
    : ICommand<SimulatorSettingsDto>, IOwnsTransaction
{
    public const int MaxLatencyMs = 30_000;
    public const int MaxSuffixes = 20;

    public IReadOnlyList<string> SuffixList =>
        [.. (DeclineCardSuffixes ?? "").Split([',', ' ', ';', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal)];
}

public sealed class UpdateSimulatorSettingsCommandValidator : AbstractValidator<UpdateSimulatorSettingsCommand>
{
    public UpdateSimulatorSettingsCommandValidator()
    {
        RuleFor(c => c.LatencyMs).InclusiveBetween(0, UpdateSimulatorSettingsCommand.MaxLatencyMs)
            .WithMessage($"Latency is between 0 and {UpdateSimulatorSettingsCommand.MaxLatencyMs:N0} ms.");
        RuleFor(c => c.FailurePercent).InclusiveBetween(0m, 100m).WithMessage("Failure rate is a percentage between 0 and 100.");
        RuleFor(c => c.TimeoutPercent).InclusiveBetween(0m, 100m).WithMessage("Timeout rate is a percentage between 0 and 100.");
        RuleFor(c => c.SuffixList)
            .Must(s => s.Count <= UpdateSimulatorSettingsCommand.MaxSuffixes).WithMessage($"At most {UpdateSimulatorSettingsCommand.MaxSuffixes} endings.")
            .Must(s => s.All(x => x.Length is >= 1 and <= 8 && x.All(char.IsAsciiDigit))).WithMessage("Each ending is 1–8 digits, e.g. 0002.")
            .OverridePropertyName(nameof(UpdateSimulatorSettingsCommand.DeclineCardSuffixes));
    }
}

public sealed class UpdateSimulatorSettingsCommandHandler(
    IPaymentGatewaySimulatorControl simulator,
    ICurrentUser user,
    ILogger<UpdateSimulatorSettingsCommandHandler> logger) : ICommandHandler<UpdateSimulatorSettingsCommand, SimulatorSettingsDto>
{
    public ValueTask<Result<SimulatorSettingsDto>> Handle(UpdateSimulatorSettingsCommand command, CancellationToken cancellationToken)
    {
        var settings = new SimulatorSettingsDto(
            command.LatencyMs, (double)(command.FailurePercent / 100m), (double)(command.TimeoutPercent / 100m), command.Outage, command.SuffixList);
        simulator.Apply(settings);
        logger.LogWarning(
            "Payment gateway simulator changed by {User}: latency {LatencyMs} ms, failures {FailureProbability:P0}, timeouts {TimeoutProbability:P0}, outage {Outage}, declined endings {DeclineCardSuffixes}",
            user.UserName, settings.LatencyMs, settings.FailureProbability, settings.TimeoutProbability, settings.Outage, string.Join(",", settings.DeclineCardSuffixes));
        return ValueTask.FromResult(Result.Success(simulator.Current));
    }
}
