using System.Reflection;
using CardMall.Application.Localization;
using CardMall.Domain.Common;
using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CardMall.Web.Errors;

/// <summary>
/// A page that re-renders its form when a use case refuses: it implements this to load whatever the
/// page shows besides the form (lists, totals) before the form is shown again with its errors.
/// </summary>
public interface IReloadsPageData
{
    Task LoadAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Ordinary form posts, no ajax: when a use case throws <see cref="ValidationException"/> the field
/// errors go into ModelState under the bound property's prefix (Input.Email) and the same page is
/// rendered again; a broken business rule becomes a page-level error message.
/// </summary>
public sealed class FormErrorsPageFilter : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var executed = await next();
        if (executed.Exception is null || executed.ExceptionHandled) return;

        switch (executed.Exception)
        {
            case ValidationException validation:
                var prefix = BoundPrefix(context.HandlerInstance, context.HandlerMethod?.Name);
                foreach (var failure in validation.Errors)
                {
                    var key = string.IsNullOrEmpty(failure.PropertyName) ? "" :
                        string.IsNullOrEmpty(prefix) ? failure.PropertyName : $"{prefix}.{failure.PropertyName}";
                    executed.ModelState.AddModelError(key, failure.ErrorMessage);
                }
                break;
            case NotFoundException:
                executed.ExceptionHandled = true;
                executed.Result = new NotFoundResult();
                return;
            case DomainRuleException rule:
                executed.ModelState.AddModelError("", rule.Message);
                break;
            // Two people saving the same unique thing at once: the loser is told, not shown a 500.
            case Microsoft.EntityFrameworkCore.DbUpdateException { InnerException: Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation } }:
                executed.ModelState.AddModelError("", AppText.Get("Common.Conflict"));
                break;
            case UnauthorizedAccessException:
                executed.ExceptionHandled = true;
                executed.Result = new ChallengeResult();
                return;
            default:
                return;
        }

        executed.ExceptionHandled = true;
        if (context.HandlerInstance is IReloadsPageData page)
            await page.LoadAsync(context.HttpContext.RequestAborted);
        executed.Result = new PageResult();
    }

    /// <summary>
    /// The name of the page model's [BindProperty] the posted form filled: its only one (usually "Input"), or, on a
    /// page with several forms, the one named after the handler (OnPostBirthday fills Birthday; the unnamed
    /// handler fills Input).
    /// </summary>
    private static string? BoundPrefix(object handler, string? handlerName)
    {
        var bound = handler.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetCustomAttribute<BindPropertyAttribute>() is not null)
            .ToList();
        if (bound.Count == 1) return bound[0].Name;
        var formName = string.IsNullOrEmpty(handlerName) ? "Input" : handlerName;
        return bound.FirstOrDefault(p => p.Name == formName)?.Name;
    }
}
