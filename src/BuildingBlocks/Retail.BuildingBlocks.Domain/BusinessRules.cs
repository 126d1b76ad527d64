namespace Retail.BuildingBlocks.Domain;

/// <summary>A named invariant of the domain. Implementations are small classes named <c>*Rule</c>.</summary>
public interface IBusinessRule
{
    bool IsBroken();

    string Message { get; }
}

/// <summary>Thrown when code tries to break an invariant; the API maps it to 422 with the rule's message.</summary>
public sealed class BusinessRuleValidationException : Exception
{
    public BusinessRuleValidationException(IBusinessRule brokenRule)
        : base(brokenRule?.Message)
    {
        ArgumentNullException.ThrowIfNull(brokenRule);
        BrokenRule = brokenRule;
        RuleName = brokenRule.GetType().Name;
    }

    public IBusinessRule BrokenRule { get; }

    public string RuleName { get; }
}
