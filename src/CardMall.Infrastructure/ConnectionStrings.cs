using Microsoft.Extensions.Configuration;
using Npgsql;

namespace CardMall.Infrastructure;

public static class ConnectionStrings
{
    public const string Name = "CardMall";

    /// <summary>
    /// The configured connection string, with automatic preparation on unless the operator set it: the shop
    /// sends the same few statements all day (a checkout is about ten), and a prepared statement is parsed
    /// and planned once per connection instead of on every call. Pooled connections keep their prepared
    /// statements when returned to the pool. Set <c>Max Auto Prepare=0</c> to turn it off (e.g. behind a
    /// pooler in transaction mode, where a statement may land on another server connection).
    /// </summary>
    public static string CardMallConnectionString(this IConfiguration configuration)
    {
        var configured = configuration.GetConnectionString(Name)
            ?? throw new InvalidOperationException(
                "No database configured: set ConnectionStrings__CardMall (./scripts/run.sh does this from CARDMALL_DB or its own cluster).");
        var builder = new NpgsqlConnectionStringBuilder(configured);
        if (!configured.Contains("Auto Prepare", StringComparison.OrdinalIgnoreCase)
            && !configured.Contains("AutoPrepare", StringComparison.OrdinalIgnoreCase))
        {
            builder.MaxAutoPrepare = 64;
            builder.AutoPrepareMinUsages = 2;
        }
        return builder.ConnectionString;
    }
}
