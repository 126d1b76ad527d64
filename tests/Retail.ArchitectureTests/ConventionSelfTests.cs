using Retail.ArchitectureTests.Fixtures;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.BuildingBlocks.Contracts;
using Retail.BuildingBlocks.Domain;

namespace Retail.ArchitectureTests;

/// <summary>Each reflection-based convention catches a deliberately bad type and accepts a good one.</summary>
public sealed class ConventionSelfTests
{
    [Fact]
    public void A_handler_implementing_a_mediator_interface_directly_is_reported()
    {
        Conventions.HandlersImplementingMediatorDirectly([typeof(DirectMediatorHandler), typeof(DirectMediatorCommandHandler)])
            .ShouldBe(
                [
                    $"{typeof(DirectMediatorHandler).FullName} (Mediator.IRequestHandler<FixtureRequest, Int32>)",
                    $"{typeof(DirectMediatorCommandHandler).FullName} (Mediator.ICommandHandler<FixtureCommand, Result>)",
                ],
                ignoreOrder: true);
    }

    [Fact]
    public void A_handler_wrapping_one_command_but_implementing_mediator_directly_for_another_is_reported()
    {
        Conventions.HandlersImplementingMediatorDirectly([typeof(HalfWrappedHandler)])
            .ShouldHaveSingleItem().ShouldStartWith(typeof(HalfWrappedHandler).FullName!);
    }

    [Fact]
    public void Handlers_through_our_interfaces_pass()
    {
        Conventions.HandlersImplementingMediatorDirectly([typeof(WrappedCommandHandler), typeof(WrappedValueHandler), typeof(WrappedQueryHandler)])
            .ShouldBeEmpty();
    }

    [Fact]
    public void A_request_implementing_mediator_directly_is_reported()
    {
        Conventions.RequestsNotThroughOurInterfaces([typeof(FixtureRequest), typeof(FixtureCommand), typeof(FixtureValueCommand), typeof(FixtureQuery), typeof(NotAnEntity)])
            .ShouldBe([typeof(FixtureRequest).FullName!]);
    }

    [Fact]
    public void An_unsealed_handler_is_reported()
    {
        Conventions.HandlersNotSealed([typeof(UnsealedHandler), typeof(WrappedCommandHandler), typeof(DirectMediatorHandler)])
            .ShouldBe([typeof(UnsealedHandler).FullName!]);
    }

    [Fact]
    public void A_pipeline_behavior_is_reported()
    {
        Conventions.PipelineBehaviorImplementations([typeof(DirectBehavior<,>), typeof(WrappedCommandHandler)])
            .ShouldBe([typeof(DirectBehavior<,>).FullName!]);
    }

    [Fact]
    public void Entities_with_public_set_or_init_or_fields_are_reported()
    {
        Conventions.EntitiesWithPublicSetters([typeof(MutableEntity), typeof(InitEntity), typeof(FieldEntity), typeof(GoodEntity), typeof(NotAnEntity)])
            .ShouldBe(
                [$"{typeof(MutableEntity).FullName}.Name", $"{typeof(InitEntity).FullName}.Name", $"{typeof(FieldEntity).FullName}.Name"],
                ignoreOrder: true);
    }

    [Fact]
    public void Malformed_integration_events_are_reported()
    {
        Conventions.MalformedIntegrationEvents([typeof(UnsealedEvent), typeof(ClassEvent), typeof(UnnamedEvent), typeof(GoodEvent)])
            .ShouldBe(
                [
                    $"{typeof(UnsealedEvent).FullName} (not sealed)",
                    $"{typeof(ClassEvent).FullName} (not a record)",
                    $"{typeof(UnnamedEvent).FullName} (no [IntegrationEventName])",
                ],
                ignoreOrder: true);
    }

    [Fact]
    public void Duplicate_event_names_are_reported()
    {
        Conventions.DuplicateEventNames([typeof(GoodEvent), typeof(DuplicateNameEvent), typeof(UnsealedEvent)])
            .ShouldHaveSingleItem().ShouldContain("'fixture.good.v1'");
    }

    [Fact]
    public void Abstract_event_bases_are_not_events()
    {
        Conventions.IsIntegrationEvent(typeof(IntegrationEvent)).ShouldBeFalse();
        Conventions.IsIntegrationEvent(typeof(GoodEvent)).ShouldBeTrue();
    }
}
