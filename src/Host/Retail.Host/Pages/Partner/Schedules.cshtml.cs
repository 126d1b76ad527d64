using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.Partners.Application.Schedules;

namespace Retail.Host.Pages.Partner;

/// <summary>Feed URLs fetched on a schedule: add, pause/resume, run now, delete, with Hangfire's next run.</summary>
public sealed class SchedulesModel(IRequestSender sender) : PartnerPortalPageModel(sender)
{
    public sealed class InputModel
    {
        public string Url { get; set; } = "";

        public string Cron { get; set; } = "0 3 * * *";

        public bool FullFeed { get; set; }
    }

    [BindProperty]
    public InputModel Input { get; set; } = new();

    public IReadOnlyList<FeedScheduleDto> Schedules { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!await LoadPartnerAsync(cancellationToken))
        {
            return Page();
        }

        var result = await Sender.Send(new CreateFeedScheduleCommand(Partner!.Id, Input.Url, Input.Cron, Input.FullFeed), cancellationToken);
        if (!result.IsSuccess)
        {
            ShowError(result.Error, nameof(Input));
            await LoadAsync(cancellationToken);
            return Page();
        }

        StatusMessage = "Schedule added.";
        return Redirect("/partner/schedules");
    }

    public async Task<IActionResult> OnPostChangeAsync(Guid scheduleId, [BindRequired] ScheduleAction action, CancellationToken cancellationToken)
    {
        if (!await LoadPartnerAsync(cancellationToken))
        {
            return Page();
        }

        if (!ModelState.IsValid)
        {
            // An undefined action (action=bogus, action=7) or none at all would arrive as the enum's default and pause the schedule.
            ShowError(BindingError());
            await LoadAsync(cancellationToken);
            return Page();
        }

        var result = await Sender.Send(new ChangeFeedScheduleCommand(Partner!.Id, scheduleId, action), cancellationToken);
        if (!result.IsSuccess)
        {
            ShowError(result.Error);
            await LoadAsync(cancellationToken);
            return Page();
        }

        StatusMessage = action switch
        {
            ScheduleAction.RunNow => "The feed is being fetched now; it will appear in the job history.",
            ScheduleAction.Pause => "Schedule paused.",
            ScheduleAction.Resume => "Schedule resumed.",
            _ => "Schedule deleted.",
        };
        return Redirect("/partner/schedules");
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        if (Partner is null && !await LoadPartnerAsync(cancellationToken))
        {
            return;
        }

        var result = await Sender.Send(new ListFeedSchedulesQuery(Partner!.Id), cancellationToken);
        if (result.IsSuccess)
        {
            Schedules = result.Value;
        }
    }
}
