using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Common;
using FluentValidation;
using MediatR;

namespace CardMall.Application.Features.Payments;

/// <summary>
/// An operator's "test connection": the gateway makes its harmless call (a query of a made-up payment) and says
/// whether address, merchant and keys work. Nothing is written; the answer names no secret.
/// </summary>
public sealed record TestPaymentGateway(string Code) : IRequest<ConnectionCheck>;

public sealed class TestPaymentGatewayValidator : AbstractValidator<TestPaymentGateway>
{
    public TestPaymentGatewayValidator() => RuleFor(x => x.Code).NotEmpty().MaximumLength(32);
}

internal sealed class TestPaymentGatewayHandler(IEnumerable<IPaymentGateway> gateways) : IRequestHandler<TestPaymentGateway, ConnectionCheck>
{
    public async Task<ConnectionCheck> Handle(TestPaymentGateway request, CancellationToken cancellationToken)
    {
        var gateway = gateways.Find(request.Code) ?? throw new NotFoundException(AppText.Get("Gateways.NotFound"));
        return await gateway.TestConnectionAsync(cancellationToken);
    }
}
