using CardMall.Domain.Common;
using CardMall.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace CardMall.Web.Api;

/// <summary>
/// <c>/openapi/v1.json</c>: the JSON API as a contract a reseller can generate a client from (docs/decisions/0027).
/// The endpoints declare their success types (<c>TypedResults</c>), names, summaries and the contract codes they
/// answer (<see cref="ApiProblemsMetadata.Problems{TBuilder}"/>); these transformers add what is the same for all of
/// them: the API-key scheme on every operation that needs a key, the problem responses' descriptions and
/// <c>Retry-After</c>, the <c>Idempotency-Key</c> header, the tags and the introduction.
/// </summary>
public static class ApiDocument
{
    public const string Name = "v1";

    public const string ApiKeyScheme = "ApiKey";

    public const string SupplierSignatureScheme = "SupplierSignature";

    /// <summary>The operations' tags, in the order the reference lists them, with what each covers.</summary>
    public static readonly IReadOnlyList<(string Name, string Description)> Tags =
    [
        (Tag.Account, "Who the API key acts as."),
        (Tag.Catalog, "Products with the caller's tier price, stock and purchase notices."),
        (Tag.Wallet, "The balance orders are paid from, and its ledger."),
        (Tag.Orders, "Buying keys (idempotent with `Idempotency-Key`) and reading them back."),
        (Tag.Tickets, "After-sales: complaints about keys, their conversation, urging and rating."),
        (Tag.Assistant, "The automatic assistant that answers questions and files tickets."),
        (Tag.Chats, "Live chat with a person: start one, read where it stands and its messages, write in it."),
        (Tag.AdminCatalog, "Operators: products, suppliers and key batches."),
        (Tag.AdminUsers, "Operators and Admins: accounts and their API keys."),
        (Tag.AdminWallets, "Operators: wallet adjustments, with four-eyes approval above the limit."),
        (Tag.AdminOperations, "Operators: dashboard figures and the sandbox supplier."),
        (Tag.SupplierWebhooks, "Suppliers tell the shop about activations of its keys; signed, no API key."),
    ];

    public static class Tag
    {
        public const string Account = "Account";
        public const string Catalog = "Catalog";
        public const string Wallet = "Wallet";
        public const string Orders = "Orders";
        public const string Tickets = "Tickets";
        public const string Assistant = "Assistant";
        public const string Chats = "Chats";
        public const string AdminCatalog = "Admin: catalog";
        public const string AdminUsers = "Admin: users";
        public const string AdminWallets = "Admin: wallets";
        public const string AdminOperations = "Admin: operations";
        public const string SupplierWebhooks = "Supplier webhooks";
    }

    private const string Introduction = """
        The CardMall JSON API for resellers, operators' automation and suppliers. Field names are camelCase; money is a
        JSON number with two decimals in CNY; times are ISO-8601 UTC.

        **Authentication.** `Authorization: Bearer <api key>`. A user creates and revokes API keys on their account page;
        a request acts as that user with that user's roles. Missing or wrong key: 401. Not allowed: 403. Somebody else's
        resource: 404.

        **Errors.** `application/problem+json` with `status`, `title`, `detail`, a stable machine `code` and, for
        validation failures, `errors` (field → messages). Bad input is always a 4xx, never a 500.

        **Rate limits.** Any endpoint may answer 429 `rate_limited` with `Retry-After` (whole seconds); a client that
        waits that long always gets through.
        """;

    public static IServiceCollection AddApiDocument(this IServiceCollection services) =>
        services.AddOpenApi(Name, o =>
        {
            o.AddDocumentTransformer((document, _, _) =>
            {
                Describe(document);
                return Task.CompletedTask;
            });
            o.AddOperationTransformer((operation, context, _) =>
            {
                Describe(operation, context);
                return Task.CompletedTask;
            });
            o.AddSchemaTransformer((schema, context, _) =>
            {
                Describe(schema, context);
                return Task.CompletedTask;
            });
        });

    private static void Describe(OpenApiSchema schema, OpenApiSchemaTransformerContext context)
    {
        var type = context.JsonTypeInfo.Type;
        var nullable = Nullable.GetUnderlyingType(type) is not null;
        // Money is written by MoneyJsonConverter, which the schema generator cannot see through: a number, two decimals.
        if ((Nullable.GetUnderlyingType(type) ?? type) == typeof(decimal))
        {
            schema.Type = nullable ? JsonSchemaType.Number | JsonSchemaType.Null : JsonSchemaType.Number;
            schema.Format = "decimal";
            schema.Pattern = null;
        }
        // The API also reads numbers sent as strings, but it always writes numbers: the contract says number.
        if (schema.Type is { } t && t.HasFlag(JsonSchemaType.String) && (t.HasFlag(JsonSchemaType.Integer) || t.HasFlag(JsonSchemaType.Number)))
        {
            schema.Type = t & ~JsonSchemaType.String;
            schema.Pattern = null;
        }
        // Enums travel as their snake_case names. One schema serves both uses; where a property may be null,
        // the property says so (oneOf null or the enum), so the enum itself lists only the names.
        if (schema.Enum is { Count: > 0 } names && (Nullable.GetUnderlyingType(type) ?? type).IsEnum)
        {
            schema.Type = JsonSchemaType.String;
            for (var i = names.Count - 1; i >= 0; i--)
                if (names[i] is null) names.RemoveAt(i);
        }
        // A request body's fields are all nullable so that a missing one is a 400 naming it, not a binding failure;
        // the fields the contract requires are marked [Required], the others may be left out.
        if (type.Name.EndsWith("Body", StringComparison.Ordinal) && schema.Required is { Count: > 0 } required)
        {
            foreach (var property in context.JsonTypeInfo.Properties)
            {
                if (property.AttributeProvider?.IsDefined(typeof(System.ComponentModel.DataAnnotations.RequiredAttribute), inherit: true) != true)
                    required.Remove(property.Name);
            }
        }
    }

    private static void Describe(OpenApiDocument document)
    {
        // The generator names the server the document was asked from, with a trailing slash the paths already begin with.
        foreach (var server in document.Servers ?? [])
            server.Url = server.Url?.TrimEnd('/');
        document.Info = new OpenApiInfo
        {
            Title = "CardMall API",
            Version = "v1",
            Description = Introduction,
            License = new OpenApiLicense { Name = "Proprietary: for CardMall's resellers and suppliers", Identifier = "LicenseRef-CardMall-Proprietary" },
        };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
        {
            [ApiKeyScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "cm_…",
                Description = "An API key from the account page (/Account/Manage/ApiKeys), sent as `Authorization: Bearer <key>`.",
            },
            [SupplierSignatureScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = SupplierWebhooksApi.SignatureHeader,
                Description = "`sha256=<hex HMAC-SHA256 of the raw body with the supplier's webhook secret>`.",
            },
        };
        document.Tags = new HashSet<OpenApiTag>(Tags.Select(t => new OpenApiTag { Name = t.Name, Description = t.Description }));
    }

    private static void Describe(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var needsKey = metadata.OfType<IAuthorizeData>().Any(a => a.AuthenticationSchemes == ApiKeyAuthenticationHandler.SchemeName)
            && !metadata.OfType<IAllowAnonymous>().Any();
        var scheme = needsKey ? ApiKeyScheme : SupplierSignatureScheme;
        operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(scheme, context.Document)] = [] }];

        if (metadata.OfType<IdempotencyKeyHeader>().LastOrDefault() is { } idempotency)
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = "Idempotency-Key",
                In = ParameterLocation.Header,
                Required = idempotency.Required,
                Description = "1–64 characters of the client's choosing. The same key with the same body answers with what the first "
                    + "request did, without doing it again; the same key with a different body is 422 `idempotency_key_reused`.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = 64 },
            });
        }

        // A body is nullable in the handler only so that a missing one is a 400 naming it: the contract requires one.
        if (operation.RequestBody is OpenApiRequestBody body)
        {
            body.Required = true;
            foreach (var media in body.Content?.Values ?? [])
            {
                if (media.Schema is OpenApiSchema { OneOf: { Count: 2 } oneOf } && oneOf.FirstOrDefault(s => s is not OpenApiSchema { Type: JsonSchemaType.Null }) is { } notNull
                    && oneOf.Any(s => s is OpenApiSchema { Type: JsonSchemaType.Null }))
                    media.Schema = notNull;
            }
        }

        var codes = metadata.OfType<ApiProblemCodes>().SelectMany(c => c.Codes).Distinct().ToList();
        if (operation.Responses is null) return;
        foreach (var (status, response) in operation.Responses)
        {
            var meanings = codes.Where(c => ApiProblemsMetadata.StatusOf(c).ToString(System.Globalization.CultureInfo.InvariantCulture) == status)
                .Select(c => c == ApiProblemsMetadata.PayloadTooLarge ? ApiProblemsMetadata.Meaning(c) : $"`{c}`: {ApiProblemsMetadata.Meaning(c)}")
                .ToList();
            if (meanings.Count == 0 || response is not OpenApiResponse problem) continue;
            problem.Description = string.Join("\n", meanings.Select(m => "- " + m));
            if (status == "429")
            {
                problem.Headers ??= new Dictionary<string, IOpenApiHeader>();
                problem.Headers["Retry-After"] = new OpenApiHeader
                {
                    Description = "Whole seconds to wait before retrying.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "1" },
                };
            }
        }
    }

    /// <summary>The problems every API-key endpoint may answer, whatever it does.</summary>
    internal static readonly string[] EveryKeyedEndpoint = [ErrorCodes.Unauthorized, ErrorCodes.RateLimited];
}
