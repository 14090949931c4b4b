using System.Diagnostics;
using System.Diagnostics.Metrics;
using CardMall.Application.Features.Orders;
using CardMall.Application.Features.Tickets;
using CardMall.Domain.Tickets;

namespace CardMall.Application.Telemetry;

/// <summary>
/// The shop's own measurements, on the meter "CardMall" (docs/decisions/0026): what an operator watches besides
/// the framework's HTTP, database and runtime figures. Exported over OTLP when configured and on the staff-only
/// /metrics page. Every method is a counter add or a histogram record with a few fixed tags: cheap enough for
/// the checkout path, and no tag ever carries a user, an order or a key. Instrument names leave out the shop's name:
/// the meter carries it (OTLP sends it as the scope, Prometheus puts it in front: cardmall_orders_placed).
/// </summary>
public sealed class ShopMetrics
{
    public const string MeterName = "CardMall";

    private readonly Counter<long> _ordersPlaced;
    private readonly Counter<long> _keysSold;
    private readonly Histogram<double> _checkoutDuration;
    private readonly Counter<long> _ticketsFiled;
    private readonly Counter<long> _ticketsResolved;
    private readonly Counter<long> _slaBreaches;
    private readonly Histogram<double> _supplierCallDuration;
    private readonly Counter<long> _supplierCallErrors;
    private readonly Histogram<double> _passDuration;
    private long _outboxBacklog;

    public ShopMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _ordersPlaced = meter.CreateCounter<long>("orders.placed", "{order}", "Orders placed and paid from the wallet.");
        _keysSold = meter.CreateCounter<long>("keys.sold", "{key}", "Card keys allocated to placed orders.");
        _checkoutDuration = meter.CreateHistogram<double>("checkout.duration", "s",
            "Placing an order, from the request reaching the use case to its commit.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 1, 2.5, 5] });
        _ticketsFiled = meter.CreateCounter<long>("tickets.filed", "{ticket}", "After-sales tickets filed, on any channel.");
        _ticketsResolved = meter.CreateCounter<long>("tickets.resolved", "{ticket}", "Tickets resolved by staff.");
        _slaBreaches = meter.CreateCounter<long>("sla.breaches", "{ticket}", "Tickets whose SLA clock ran out, as the SLA watcher found them.");
        meter.CreateObservableGauge("outbox.backlog", () => Interlocked.Read(ref _outboxBacklog), "{email}",
            "E-mails waiting in the outbox (not sent, not given up), as of the dispatcher's last pass.");
        _supplierCallDuration = meter.CreateHistogram<double>("supplier.call.duration", "s",
            "Calls to a supplier's API, retries included.");
        _supplierCallErrors = meter.CreateCounter<long>("supplier.call.errors", "{call}",
            "Supplier calls that did not end in an answer (timeout, error, open circuit).");
        _passDuration = meter.CreateHistogram<double>("background.pass.duration", "s",
            "One pass of a background job (outbox, SLA watcher, verification, dashboard roll-ups).");
    }

    /// <summary>
    /// Counts what a use case's answer says happened, once it has committed (the logging behavior, first in the
    /// pipeline, calls this on success). One type test per use case, nothing more for the rest.
    /// </summary>
    public void Succeeded<TResponse>(TResponse response, TimeSpan elapsed)
    {
        switch (response)
        {
            // Created: an idempotent replay answers with the first order and is not a second one.
            case OrderView { Created: true } order:
                _ordersPlaced.Add(1);
                _keysSold.Add(order.Quantity);
                _checkoutDuration.Record(elapsed.TotalSeconds);
                break;
            case TicketResolved:
            case TicketStatusSet { To: TicketStatus.Resolved, From: not TicketStatus.Resolved }:
                _ticketsResolved.Add(1);
                break;
            case SlaWatchPass { Breached: > 0 } pass:
                _slaBreaches.Add(pass.Breached);
                break;
        }
    }

    /// <summary>A ticket was filed (inside its filing transaction, which almost always commits).</summary>
    public void TicketFiled() => _ticketsFiled.Add(1);

    public void OutboxBacklog(long emails) => Interlocked.Exchange(ref _outboxBacklog, emails);

    /// <param name="operation">The supplier API operation (query_key, report_case).</param>
    /// <param name="outcome">How the call ended, as the supplier call log records it.</param>
    /// <param name="answered">Whether the call ended in an answer from the supplier (any answer).</param>
    public void SupplierCalled(string operation, string outcome, TimeSpan elapsed, bool answered)
    {
        var tags = new TagList { { "operation", operation }, { "outcome", outcome } };
        _supplierCallDuration.Record(elapsed.TotalSeconds, tags);
        if (!answered) _supplierCallErrors.Add(1, tags);
    }

    public void PassRan(string job, TimeSpan elapsed, bool failed) =>
        _passDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("job", job),
            new KeyValuePair<string, object?>("outcome", failed ? "failed" : "ok"));
}
