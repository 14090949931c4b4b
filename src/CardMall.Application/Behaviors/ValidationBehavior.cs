using CardMall.Application.Localization;
using CardMall.Domain.Common;
using FluentValidation;
using MediatR;

namespace CardMall.Application.Behaviors;

/// <summary>
/// Runs every validator of the request and throws one <see cref="ValidationException"/> carrying all
/// field errors, so a form shows them all at once and the API answers 400 validation_failed. The rules the
/// aggregates refuse further in (<see cref="RuleBrokenException"/>: a message key, since the Domain knows no
/// language) come back out of here worded in the caller's language, as the same <see cref="DomainRuleException"/>
/// any other rule throws.
/// </summary>
internal sealed class ValidationBehavior<TRequest, TResponse>(IEnumerable<IValidator<TRequest>> validators)
    : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        var failures = new List<FluentValidation.Results.ValidationFailure>();
        foreach (var validator in validators)
        {
            var result = await validator.ValidateAsync(new ValidationContext<TRequest>(request), cancellationToken);
            failures.AddRange(result.Errors);
        }
        if (failures.Count > 0)
            throw new ValidationException(failures);
        try
        {
            return await next();
        }
        catch (RuleBrokenException e)
        {
            throw new DomainRuleException(e.Code, Word(e));
        }
    }

    /// <summary>Enum arguments are worded as the use-case messages word them (TicketStatus.Open → 待客服).</summary>
    private static string Word(RuleBrokenException e) =>
        AppText.Format(e.MessageKey, e.Args.Select(a => a is Enum value ? AppText.Get(value.GetType().Name + "." + value) : a).ToArray());
}
