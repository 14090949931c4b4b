using System.Globalization;
using CardMall.Application.Abstractions;
using CardMall.Application.Accounts;
using CardMall.Domain.Accounts;
using CardMall.Infrastructure.Persistence;
using CardMall.Web.Api;
using CardMall.Web.Chats;
using CardMall.Web.Errors;
using CardMall.Web.Identity;
using CardMall.Web.Localization;
using CardMall.Web.Payments;
using CardMall.Web.Sandbox;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;

namespace CardMall.Web.Hosting;

public static class ShopWeb
{
    public const string StaffPolicy = "Staff";
    public const string OperatorPolicy = "Operator";
    public const string AdminPolicy = "Admin";
    /// <summary>A signed-in member: not a guest checkout's account (no wallet, account settings, API keys or redeem for those).</summary>
    public const string MemberPolicy = "Member";

    public static IServiceCollection AddShopWeb(this IServiceCollection services, IWebHostEnvironment environment)
    {
        services.AddHttpContextAccessor();
        // Chinese text goes into pages as itself, not as &#x…; entities (still HTML-encoded for safety).
        services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
            o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        services.AddScoped<ICurrentUser, CurrentUser>();

        services.AddIdentity<ShopUser, IdentityRole<Guid>>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.Password.RequiredLength = 8;
                o.Password.RequireDigit = true;
                o.Password.RequireLowercase = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                // Counts wrong second-step codes only; wrong passwords lock per account and address (SignInWithPassword).
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.SignIn.RequireConfirmedAccount = false;
            })
            .AddEntityFrameworkStores<CardMallDbContext>()
            .AddDefaultTokenProviders();

        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/Account/Login";
            o.LogoutPath = "/Account/Logout";
            o.AccessDeniedPath = "/Account/AccessDenied";
            o.Cookie.Name = "cardmall.auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.SlidingExpiration = true;
            o.ExpireTimeSpan = TimeSpan.FromDays(14);
            o.Events.OnRedirectToAccessDenied = StaffTwoFactor.RedirectToAccessDeniedAsync;
        });
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationHandler, StaffTwoFactorHandler>();
        services.AddSingleton<SignInLimits>();
        services.AddBehindProxy(environment);

        services.AddSingleton<RememberedSignIns>();
        services.AddSingleton<INodeCache>(sp => sp.GetRequiredService<RememberedSignIns>());
        services.AddAuthentication()
            .AddScheme<ApiKeyAuthenticationOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, _ => { });

        services.AddAuthorizationBuilder()
            .AddPolicy(StaffPolicy, p => p.RequireRole([.. ShopRoles.Staff]).AddRequirements(new StaffTwoFactorRequirement()))
            .AddPolicy(OperatorPolicy, p => p.RequireRole(ShopRoles.Operator, ShopRoles.Admin).AddRequirements(new StaffTwoFactorRequirement()))
            .AddPolicy(AdminPolicy, p => p.RequireRole(ShopRoles.Admin).AddRequirements(new StaffTwoFactorRequirement()))
            .AddPolicy(MemberPolicy, p => p.RequireAuthenticatedUser().RequireAssertion(c => !GuestSessions.IsGuest(c.User)));
        services.AddScoped<GuestSessions>();
        services.AddScoped<Pages.Products.PaymentChoices>();
        services.AddAccountAccessChecks();

        services.AddLocalization();
        services.Configure<RequestLocalizationOptions>(o =>
        {
            CultureInfo[] cultures = [new("zh-CN"), new("en-US")];
            o.DefaultRequestCulture = new RequestCulture("zh-CN");
            o.SupportedCultures = cultures;
            o.SupportedUICultures = cultures;
            o.RequestCultureProviders =
            [
                new QueryStringRequestCultureProvider(),
                new CookieRequestCultureProvider(),
                new BrowserLanguageCultureProvider(),
            ];
        });

        services.AddRazorPages(o =>
            {
                o.Conventions.AuthorizeFolder("/Admin", StaffPolicy);
                // The product form also edits: /Admin/Products/Edit/{sku}. With two routes to one page,
                // links to it are written as plain URLs (asp-page cannot choose between them).
                o.Conventions.AddPageRoute("/Admin/Products/New", "Admin/Products/Edit/{sku}");
                o.Conventions.AuthorizeFolder("/Account/Manage", MemberPolicy);
                o.Conventions.AuthorizeFolder("/Wallet", MemberPolicy);
                o.Conventions.AuthorizeFolder("/Redeem", MemberPolicy);
            })
            .AddMvcOptions(o => o.Filters.Add<FormErrorsPageFilter>())
            .AddViewLocalization()
            .AddDataAnnotationsLocalization(o => o.DataAnnotationLocalizerProvider = (_, f) => f.Create(typeof(SharedResource)));

        services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase;
            o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.SnakeCaseLower));
            o.SerializerOptions.Converters.Add(new MoneyJsonConverter());
        });
        // A malformed JSON body becomes an exception we turn into 400 validation_failed, not an empty 400.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddProblemDetails();
        services.AddApiDocument();
        services.AddShopPayments();
        // The e-mail outbox and the SLA watcher: background passes, safe on several nodes.
        services.AddSingleton<INotificationWording, Notifications.NotificationWording>();
        services.AddHostedService<Notifications.EmailDispatcher>();
        services.AddHostedService<Tickets.SlaWatcher>();
        // Key checks queued by filed complaints (卡密核验), run within seconds.
        services.AddHostedService<Verification.VerificationWorker>();
        services.AddHostedService<Dashboards.DashboardRollupWorker>();
        // Live chat: the live line use cases tell after each commit (SignalR, with the Redis backplane when
        // CardMall:Redis is set: ChatBackplane, added by Program with the configuration), and the queue's dispatcher.
        services.AddSingleton<ChatHubGuard>();
        services.AddSingleton<SignalRChatLine>();
        services.AddSingleton<IChatLine>(sp => sp.GetRequiredService<SignalRChatLine>());
        services.AddHostedService<ChatDispatcher>();
        // Birthday and holiday greetings (情感触点), one a day at most.
        services.AddHostedService<Outreach.Greeter>();
        // What nodes share through Redis when CardMall:Redis is set: one connection for the rate-limit counters, the
        // output cache, and the news of what a committed change made stale (docs/decisions/0040, 0041).
        services.AddSingleton<ShopRedis>();
        services.AddShopRateLimits();
        services.AddCatalogueCaching();
        services.AddSingleton<EveryNode>();
        services.AddSingleton<IEveryNode>(sp => sp.GetRequiredService<EveryNode>());
        services.AddHostedService(sp => sp.GetRequiredService<EveryNode>());
        return services;
    }

    public static WebApplication UseShopPipeline(this WebApplication app)
    {
        app.UseForwardedClient();
        // Next, so that every response carries the headers: pages, API, static files, errors and 429s.
        app.UseShopSecurityHeaders();
        app.UseShopRequestLogging();
        app.UseWhen(c => ApiProblems.IsApi(c.Request.Path), api => api
            .UseExceptionHandler(new ExceptionHandlerOptions
            {
                ExceptionHandler = UnhandledErrors.HandleApiAsync,
                SuppressDiagnosticsCallback = UnhandledErrors.SuppressFrameworkLog,
            })
            .UseStatusCodePages(ApiProblems.WriteStatusAsync));
        app.UseWhen(c => !ApiProblems.IsApi(c.Request.Path), pages => pages
            .UseExceptionHandler(new ExceptionHandlerOptions
            {
                ExceptionHandlingPath = "/Error",
                SuppressDiagnosticsCallback = UnhandledErrors.SuppressFrameworkLog,
            })
            .UseStatusCodePagesWithReExecute("/Status/{0}"));
        app.UseHttpsRules();

        app.UseRequestLocalization();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        // After authorization: a stored page or products answer is only ever served to whoever may see it.
        app.UseOutputCache();
        return app;
    }

    public static WebApplication MapShopEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapApiReference();
        // Static files from the build's manifest: brotli/gzip, ETags, and fingerprinted URLs cached for a year.
        app.MapStaticAssets();
        app.MapRazorPages().WithStaticAssets();
        app.MapShopApi();
        app.MapHub<ChatHub>(ChatHub.Path);
        app.MapPaymentNotifications();
        app.MapSandboxSupplier();
        app.MapShopMetrics();
        return app;
    }
}
