using CardMall.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Web.Hosting;

/// <summary>
/// <c>dotnet run --project src/CardMall.Web -- --print-model-sql</c> prints the DDL EF Core would
/// create for the current model. Writing a new migration starts from its diff against the last
/// one; the schema-drift test then proves the two agree. No database is needed.
/// </summary>
public static class ModelScript
{
    public const string Switch = "--print-model-sql";

    public static bool TryPrint(string[] args)
    {
        if (!args.Contains(Switch)) return false;
        var options = new DbContextOptionsBuilder<CardMallDbContext>()
            .UseNpgsql("Host=unused;Database=unused")
            .Options;
        using var db = new CardMallDbContext(options);
        Console.WriteLine(db.Database.GenerateCreateScript());
        return true;
    }
}
