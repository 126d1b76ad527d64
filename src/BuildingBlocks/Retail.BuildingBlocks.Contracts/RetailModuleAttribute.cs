namespace Retail.BuildingBlocks.Contracts;

/// <summary>
/// Names the module an assembly belongs to. Behaviors and the outbox use it to pick the module's own
/// unit of work and inbox for a message or subscriber, without scanning or naming conventions.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly)]
public sealed class RetailModuleAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
