using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace CardMall.Infrastructure.CardKeys;

/// <summary>
/// The master keys card keys are encrypted under, by version, and the lookup key for fingerprints,
/// from configuration:
///   CardMall:CardKeys:LookupKey          base64, 32 bytes (never rotated: fingerprints depend on it)
///   CardMall:CardKeys:MasterKeys:{n}     base64, 32 bytes, n = 1, 2, … (1–255)
///   CardMall:CardKeys:CurrentVersion     which master key seals new keys (default: the highest)
/// With none configured and CardMall:CardKeys:GenerateDevelopmentKeys true (Development), a key ring
/// is generated once and kept in {DataDirectory}/card-key-ring.json so restarts can still decrypt.
/// </summary>
public sealed class CardKeyRing
{
    private readonly Dictionary<int, byte[]> _masterKeys;

    public CardKeyRing(byte[] lookupKey, IReadOnlyDictionary<int, byte[]> masterKeys, int currentVersion)
    {
        if (lookupKey.Length != 32) throw new InvalidOperationException("CardMall:CardKeys:LookupKey must be 32 bytes (base64).");
        if (masterKeys.Count == 0) throw new InvalidOperationException("No card-key master key is configured (CardMall:CardKeys:MasterKeys:1).");
        foreach (var (version, key) in masterKeys)
        {
            if (version is < 1 or > 255) throw new InvalidOperationException($"Master key version {version} is outside 1–255.");
            if (key.Length != 32) throw new InvalidOperationException($"Master key {version} must be 32 bytes (base64).");
        }
        if (!masterKeys.ContainsKey(currentVersion)) throw new InvalidOperationException($"Current master key version {currentVersion} is not configured.");
        LookupKey = lookupKey;
        _masterKeys = masterKeys.ToDictionary(k => k.Key, k => k.Value);
        CurrentVersion = currentVersion;
    }

    public byte[] LookupKey { get; }
    public int CurrentVersion { get; }
    public IReadOnlyCollection<int> Versions => _masterKeys.Keys;

    public byte[] MasterKey(int version) =>
        _masterKeys.TryGetValue(version, out var key) ? key
            : throw new CryptographicException($"Master key version {version} is not configured; it is needed to read older card keys.");

    public static CardKeyRing FromConfiguration(IConfiguration configuration, string dataDirectory)
    {
        var section = configuration.GetSection("CardMall:CardKeys");
        var masterKeys = section.GetSection("MasterKeys").GetChildren()
            .Where(c => !string.IsNullOrWhiteSpace(c.Value))
            .ToDictionary(c => int.Parse(c.Key, System.Globalization.CultureInfo.InvariantCulture), c => Convert.FromBase64String(c.Value!));
        var lookup = section["LookupKey"];
        if (masterKeys.Count > 0 && !string.IsNullOrWhiteSpace(lookup))
        {
            var current = section.GetValue<int?>("CurrentVersion") ?? masterKeys.Keys.Max();
            return new CardKeyRing(Convert.FromBase64String(lookup), masterKeys, current);
        }
        if (!section.GetValue<bool>("GenerateDevelopmentKeys"))
            throw new InvalidOperationException(
                "Card-key encryption is not configured: set CardMall:CardKeys:LookupKey and CardMall:CardKeys:MasterKeys:1 (32 random bytes each, base64).");
        return DevelopmentRing(dataDirectory);
    }

    private static CardKeyRing DevelopmentRing(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        var path = Path.Combine(dataDirectory, "card-key-ring.json");
        if (!File.Exists(path))
        {
            var fresh = new DevelopmentRingFile(
                Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
                new Dictionary<string, string> { ["1"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) },
                1);
            // Created exclusively: two nodes starting at once must not write two different rings.
            try
            {
                using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
                JsonSerializer.Serialize(stream, fresh);
            }
            catch (IOException) when (File.Exists(path))
            {
            }
        }
        var file = JsonSerializer.Deserialize<DevelopmentRingFile>(File.ReadAllText(path))
            ?? throw new InvalidOperationException($"{path} is not a key ring.");
        return new CardKeyRing(
            Convert.FromBase64String(file.LookupKey),
            file.MasterKeys.ToDictionary(k => int.Parse(k.Key, System.Globalization.CultureInfo.InvariantCulture), k => Convert.FromBase64String(k.Value)),
            file.CurrentVersion);
    }

    private sealed record DevelopmentRingFile(string LookupKey, Dictionary<string, string> MasterKeys, int CurrentVersion);
}
