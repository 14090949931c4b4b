namespace CardMall.Application.Abstractions;

/// <summary>
/// A command whose staff use goes on the audit log. The audit behavior writes the record in the
/// command's own transaction, after the handler succeeded: the action and its record commit together
/// or not at all. Commands also sent by buyers or background passes are recorded only for staff.
/// </summary>
public interface IAuditedCommand<TResult> : ICommand<TResult>
{
    /// <summary>What happened, in a few words built from ids, amounts and names: never a card key or a secret.</summary>
    AuditNote Audit(TResult result);
}

/// <summary>The typed part of an audit record: its kind (<see cref="Domain.Audit.AuditActions"/>), what it acted on, and a short detail.</summary>
public sealed record AuditNote(string Action, string? Subject, string Detail);

/// <summary>How audit details write values, the same in every record (invariant, signed money).</summary>
public static class AuditNotes
{
    public static string Money(decimal amount) => amount.ToString("+0.00;-0.00", System.Globalization.CultureInfo.InvariantCulture);
}
