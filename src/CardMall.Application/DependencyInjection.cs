using CardMall.Application.Behaviors;
using FluentValidation;
using MediatR;
using Microsoft.Extensions.DependencyInjection;

namespace CardMall.Application;

public static class DependencyInjection
{
    /// <summary>
    /// MediatR 5 (the version served here) has no DI package: the mediator, its service factory, the
    /// handlers and validators are registered by hand and by scanning (docs/decisions/0001).
    /// Behaviors run in registration order: logging → validation → transaction → audit.
    /// </summary>
    public static IServiceCollection AddApplication(this IServiceCollection services)
    {
        services.AddScoped<ServiceFactory>(sp => sp.GetService!);
        services.AddScoped<IMediator, Mediator>();
        services.AddMetrics();
        services.AddSingleton<Telemetry.ShopMetrics>();
        services.AddScoped<Accounts.AccountOpening>();
        services.AddScoped<Features.Admin.UserAdministration>();
        services.AddScoped<Features.Orders.OrderReading>();
        services.AddScoped<Features.Orders.Checkout>();
        services.AddSingleton<Features.Catalog.Shelves>();
        services.AddSingleton<Features.Accounts.BuyerTiers>();
        services.AddSingleton<Features.Accounts.UnreadCounts>();
        // What each node keeps in memory, forgotten on every node when a change makes it stale (Abstractions/Forgetting).
        services.AddSingleton<Abstractions.INodeCache>(sp => sp.GetRequiredService<Features.Catalog.Shelves>());
        services.AddSingleton<Abstractions.INodeCache>(sp => sp.GetRequiredService<Features.Accounts.BuyerTiers>());
        services.AddSingleton<Abstractions.INodeCache>(sp => sp.GetRequiredService<Features.Accounts.UnreadCounts>());
        services.AddScoped<Abstractions.Forgetting>();
        services.AddScoped<Features.Tickets.TicketDesk>();
        services.AddScoped<Features.Tickets.TicketRouting>();
        services.AddScoped<Features.Tickets.TicketFiling>();
        services.AddScoped<Features.Tickets.EvidenceQuota>();
        services.AddScoped<Features.Tickets.KeyReplacement>();
        services.AddScoped<Features.Verification.VerificationWording>();
        services.AddScoped<Features.Risk.IncidentItemRemedy>();
        services.AddScoped<Features.Tickets.RefundedKeys>();
        services.AddScoped<Features.Tickets.OpenTicketForKeys>();
        services.AddScoped<Features.Tickets.StaffKeyHistory>();
        services.AddScoped<Features.Tickets.StaffBuyerHistory>();
        services.AddScoped<Features.Tickets.FilledTemplates>();
        // Trained once, when first needed (well under a second), from the examples shipped in the assembly.
        services.AddSingleton(_ => Features.Assistant.IntentModel.TrainShipped());
        services.AddSingleton<Features.Assistant.IIntentClassifier, Features.Assistant.IntentClassifier>();
        AddAssistantAnswers(services);
        services.AddOptions<Features.Verification.VerificationOptions>().BindConfiguration(Features.Verification.VerificationOptions.Section);
        services.AddOptions<Features.Wallet.AdjustmentOptions>().BindConfiguration(Features.Wallet.AdjustmentOptions.Section)
            .Validate(o => o.FourEyesAmount > 0, $"{Features.Wallet.AdjustmentOptions.Section}:FourEyesAmount must be above zero.")
            .ValidateOnStart();
        services.AddOptions<Features.Risk.RiskOptions>().BindConfiguration(Features.Risk.RiskOptions.Section);
        services.AddOptions<Features.Outreach.GreetingOptions>().BindConfiguration(Features.Outreach.GreetingOptions.Section)
            .Validate(o => o.FromHour is >= 0 and <= 23 && o.PassInterval > TimeSpan.Zero,
                $"{Features.Outreach.GreetingOptions.Section}: FromHour is an hour of the day (0–23) and PassInterval is above zero.")
            .ValidateOnStart();
        services.AddOptions<Features.Dashboards.DashboardOptions>().BindConfiguration(Features.Dashboards.DashboardOptions.Section);
        services.AddScoped<Features.Tickets.RemedyDesk>();
        services.AddOptions<Features.Tickets.AfterSalesOptions>().BindConfiguration(Features.Tickets.AfterSalesOptions.Section)
            .Validate(o => o.MaxAttachmentBytes is > 0 and <= Features.Tickets.AfterSalesOptions.StoredAttachmentLimit,
                $"{Features.Tickets.AfterSalesOptions.Section}:MaxAttachmentBytes must be between 1 and {Features.Tickets.AfterSalesOptions.StoredAttachmentLimit}: " +
                "the database keeps no larger image, so a larger upload would pass the form and fail when saved.")
            .ValidateOnStart();

        AddLiveChat(services);

        services.AddScoped(typeof(IPipelineBehavior<,>), typeof(LoggingBehavior<,>));
        services.AddScoped(typeof(IPipelineBehavior<,>), typeof(ValidationBehavior<,>));
        services.AddScoped(typeof(IPipelineBehavior<,>), typeof(TransactionBehavior<,>));
        services.AddScoped(typeof(IPipelineBehavior<,>), typeof(AuditBehavior<,>));

        services.Scan(scan => scan
            .FromAssemblyOf<ShopUserMarker>()
            .AddClasses(c => c.AssignableTo(typeof(IRequestHandler<,>)), publicOnly: false)
            .AsImplementedInterfaces()
            .WithScopedLifetime()
            .AddClasses(c => c.AssignableTo(typeof(INotificationHandler<>)), publicOnly: false)
            .AsImplementedInterfaces()
            .WithScopedLifetime()
            // Open generic rule sets (ProductFieldRules<T>) are included by other validators, not run on their own.
            .AddClasses(c => c.AssignableTo(typeof(IValidator<>)).Where(t => !t.IsGenericTypeDefinition), publicOnly: false)
            .AsImplementedInterfaces()
            .WithScopedLifetime());

        return services;
    }

    private sealed class ShopUserMarker;

    /// <summary>Live chat (Features/Chats): the desk, the queue, chat-to-ticket, and what reaches the live line after each commit.</summary>
    private static void AddLiveChat(IServiceCollection services)
    {
        services.AddScoped<Abstractions.AfterCommit>();
        services.AddScoped<Features.Chats.ChatDesk>();
        services.AddScoped<Features.Chats.ChatQueue>();
        services.AddScoped<Features.Chats.ChatWaitAlert>();
        services.AddScoped<Features.Chats.ChatTickets>();
        services.AddScoped<Features.Chats.ChatSignals>();
        services.AddOptions<Features.Chats.ChatOptions>().BindConfiguration(Features.Chats.ChatOptions.Section)
            .Validate(o => o.OfferTimeout > TimeSpan.Zero && o.PassInterval > TimeSpan.Zero, $"{Features.Chats.ChatOptions.Section}: OfferTimeout and PassInterval must be above zero.")
            .ValidateOnStart();
    }

    /// <summary>One answer per intent (Features/Assistant/Answers); the assistant picks by intent.</summary>
    private static void AddAssistantAnswers(IServiceCollection services)
    {
        services.AddScoped<Features.Assistant.Answers.BuyerOrders>();
        services.AddScoped<Features.Assistant.Answers.ConversationTicket>();
        services.AddSingleton<Features.Assistant.Answers.IAssistantAnswer>(
            new Features.Assistant.Answers.FixedAnswer(Features.Assistant.Intents.Greeting, "Assistant.Greeting"));
        services.AddSingleton<Features.Assistant.Answers.IAssistantAnswer>(new Features.Assistant.Answers.FixedAnswer(
            Features.Assistant.Intents.AccountSecurity, "Assistant.AccountSecurity", Features.Assistant.Intents.HumanAgent));
        services.AddSingleton<Features.Assistant.Answers.IAssistantAnswer>(
            new Features.Assistant.Answers.FixedAnswer(Features.Assistant.Intents.Other, "Assistant.Other"));
        services.AddScoped<Features.Assistant.Answers.IAssistantAnswer, Features.Assistant.Answers.KeyLookupAnswer>();
        services.AddScoped<Features.Assistant.Answers.IAssistantAnswer, Features.Assistant.Answers.UsageGuideAnswer>();
        services.AddScoped<Features.Assistant.Answers.IAssistantAnswer, Features.Assistant.Answers.RefundPolicyAnswer>();
        services.AddScoped<Features.Assistant.Answers.IAssistantAnswer, Features.Assistant.Answers.TicketStatusAnswer>();
        services.AddScoped<Features.Assistant.Answers.IAssistantAnswer, Features.Assistant.Answers.NotReceivedAnswer>();
        services.AddScoped<Features.Assistant.Answers.IAssistantAnswer, Features.Assistant.Answers.FaultyKeyAnswer>();
        services.AddScoped<Features.Assistant.Answers.IAssistantAnswer, Features.Assistant.Answers.HumanAgentAnswer>();
    }
}
