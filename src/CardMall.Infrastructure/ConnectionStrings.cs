using Microsoft.Extensions.Configuration;

namespace CardMall.Infrastructure;

public static class ConnectionStrings
{
    public const string Name = "CardMall";

    public static string CardMallConnectionString(this IConfiguration configuration) =>
        configuration.GetConnectionString(Name)
        ?? throw new InvalidOperationException(
            "No database configured: set ConnectionStrings__CardMall (./scripts/run.sh does this from CARDMALL_DB or its own cluster).");
}
