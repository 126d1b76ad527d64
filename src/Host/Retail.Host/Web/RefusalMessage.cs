namespace Retail.Host.Web;

/// <summary>
/// What a filter that refused a request before its page ran wants the error page to say instead of the generic text for
/// the status (set as a request feature; the re-executed error page reads it).
/// </summary>
public sealed record RefusalMessage(string Text);
