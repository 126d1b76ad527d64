using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.Returns.Application.Outcomes;
using Retail.Modules.Returns.Application.Returns;
using Retail.Modules.Returns.Application.Returns.Details;
using Retail.Modules.Returns.Application.Returns.Transition;

namespace Retail.Host.Pages.Staff.Returns;

/// <summary>A return for staff: everything the customer sees plus the audit, and one form per action the transition table gives this user now.</summary>
[Authorize(Roles = IndexModel.StaffRoles)]
public sealed class DetailsModel(IRequestSender sender) : RetailPageModel
{
    public ReturnDetailDto? Return { get; private set; }

    public IEnumerable<ActionDto> StaffActions => Return?.Actions.Where(a => a.Role != "customer") ?? [];

    public bool RepairOpen => Return is { Status: "PROCESSING" } r && r.Outcomes.Any(o => o.Kind == "REPAIR" && o.Status != "SUCCEEDED") && User.IsInRole("warehouse");

    public bool CanRetryOutcomes => Return is { Status: "PROCESSING" } && User.IsInRole("finance");

    /// <summary>
    /// The queue this return was opened from (team, stage, search, overdue filter, page), read from the query string the
    /// queue's link gave; empty when it was opened some other way. The crumb and the redirect after every action keep it:
    /// without it, staff working page 3 of a filtered queue went back to page one of their default queue.
    /// </summary>
    public string QueueQueryString
    {
        get
        {
            var query = Request.Query;
            if (!query.ContainsKey("team"))
            {
                return "";
            }

            // Read, not bound: a back link that does not parse must never refuse the action the form posts.
            var overdue = bool.TryParse(query["overdue"].ToString(), out var o) && o;
            var page = int.TryParse(query["page"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p is >= 1 and <= Paging.MaxPage ? p : 1;
            return IndexModel.QueueQuery(query["team"].ToString(), query["status"].ToString(), query["search"].ToString(), overdue, page);
        }
    }

    public string QueueLink => QueueQueryString.Length == 0 ? "/staff/returns" : "/staff/returns?" + QueueQueryString;

    /// <summary>Where a form posts: the handler plus the queue it was opened from ("page" cannot be an asp-route value).</summary>
    public string HandlerLink(string handler) =>
        $"{Self}{(QueueQueryString.Length == 0 ? "?" : "?" + QueueQueryString + "&")}handler={handler}";

    private string Self => $"/staff/returns/{Uri.EscapeDataString(Return?.Code ?? RouteData.Values["code"]?.ToString() ?? "")}";

    private string Back(string code) =>
        $"/staff/returns/{Uri.EscapeDataString(code)}{(QueueQueryString.Length == 0 ? "" : "?" + QueueQueryString)}";

    public async Task<IActionResult> OnGetAsync(string code, CancellationToken cancellationToken) =>
        await LoadAsync(code, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostActAsync(string code, string action, int version, ActionForm form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        if (!ModelState.IsValid)
        {
            return await ShowAsync(code, BindingError(), cancellationToken);
        }

        var input = new TransitionInputDto(
            form.Reason,
            null,
            form.Grade,
            form.Mismatch,
            form.Notes,
            form.Dispositions?.Select(d => new LineDispositionInput(d.LineId, d.Disposition ?? "", d.OverrideReason)).ToList(),
            form.Received?.Select(r => new LineReceivedInput(r.LineId, r.Quantity)).ToList());
        var result = await sender.Send(new TransitionReturnCommand(code, action ?? "", input, version), cancellationToken);
        if (!result.IsSuccess)
        {
            return await ShowAsync(code, result.Error, cancellationToken);
        }

        if (result.Value.Status == "PROCESSING")
        {
            await sender.Send(new ExecuteReturnOutcomesCommand(code), cancellationToken);
        }

        StatusMessage = $"{result.Value.Code}: {result.Value.From} → {result.Value.Status}.";
        return Redirect(Back(result.Value.Code));
    }

    public async Task<IActionResult> OnPostRepairShippedAsync(string code, int version, string? note, CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            return await ShowAsync(code, BindingError(), cancellationToken);
        }

        var result = await sender.Send(new RecordRepairShippedCommand(code, note, version), cancellationToken);
        if (!result.IsSuccess)
        {
            return await ShowAsync(code, result.Error, cancellationToken);
        }

        StatusMessage = "Repair shipped back to the customer.";
        return Redirect(Back(code));
    }

    public async Task<IActionResult> OnPostRetryAsync(string code, CancellationToken cancellationToken)
    {
        var result = await sender.Send(new ExecuteReturnOutcomesCommand(code), cancellationToken);
        if (!result.IsSuccess)
        {
            return await ShowAsync(code, result.Error, cancellationToken);
        }

        StatusMessage = $"Outcomes run: {result.Value.Succeeded} done, {result.Value.Waiting} waiting.";
        return Redirect(Back(code));
    }

    private async Task<IActionResult> ShowAsync(string code, Error error, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(code, cancellationToken))
        {
            return NotFound();
        }

        ShowError(error);
        return Page();
    }

    private async Task<bool> LoadAsync(string code, CancellationToken cancellationToken)
    {
        var result = await sender.Send(new GetReturnQuery(code), cancellationToken);
        if (!result.IsSuccess)
        {
            return false;
        }

        Return = result.Value;
        return true;
    }

    public sealed class ActionForm
    {
        public string? Reason { get; set; }

        public string? Grade { get; set; }

        public string? Mismatch { get; set; }

        public string? Notes { get; set; }

        public List<DispositionField>? Dispositions { get; set; }

        public List<ReceivedField>? Received { get; set; }
    }

    /// <summary>Units of one line found in the parcel (inspect).</summary>
    public sealed class ReceivedField
    {
        public Guid LineId { get; set; }

        public int Quantity { get; set; }
    }

    public sealed class DispositionField
    {
        public Guid LineId { get; set; }

        public string? Disposition { get; set; }

        public string? OverrideReason { get; set; }
    }
}
