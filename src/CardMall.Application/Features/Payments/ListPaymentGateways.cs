using CardMall.Application.Abstractions;
using MediatR;

namespace CardMall.Application.Features.Payments;

/// <summary>
/// The payment gateways this shop knows, for the operators' page: code, switched on, taking new payments, the
/// merchant id masked and the notification address to give the provider. No key ever leaves the gateway.
/// </summary>
public sealed record ListPaymentGateways : IRequest<IReadOnlyList<PaymentGatewayRow>>;

internal sealed class ListPaymentGatewaysHandler(IEnumerable<IPaymentGateway> gateways)
    : IRequestHandler<ListPaymentGateways, IReadOnlyList<PaymentGatewayRow>>
{
    public Task<IReadOnlyList<PaymentGatewayRow>> Handle(ListPaymentGateways request, CancellationToken cancellationToken)
    {
        IReadOnlyList<PaymentGatewayRow> rows = gateways
            .Select(g => (g as IPaymentGatewaySettings)?.Settings is { } settings
                ? new PaymentGatewayRow(g.Name, settings.Enabled, g.AcceptsNewPayments, settings.MaskedMerchantId, settings.NotifyUrl)
                : new PaymentGatewayRow(g.Name, g.AcceptsNewPayments, g.AcceptsNewPayments, "—", null))
            .ToList();
        return Task.FromResult(rows);
    }
}

public sealed record PaymentGatewayRow(string Code, bool Enabled, bool AcceptsNewPayments, string MaskedMerchantId, string? NotifyUrl);
