using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CardMall.Web.Api;

/// <summary>Money leaves the API as a JSON number with exactly two decimals (57.00, not 57 or 57.0000).</summary>
public sealed class MoneyJsonConverter : JsonConverter<decimal>
{
    public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDecimal();

    public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options) =>
        writer.WriteRawValue(decimal.Round(value, 2).ToString("0.00", CultureInfo.InvariantCulture), skipInputValidation: true);
}
