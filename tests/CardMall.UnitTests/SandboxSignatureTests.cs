using System.Text;
using CardMall.Web.Payments;

namespace CardMall.UnitTests;

/// <summary>The sandbox notification signature: HMAC-SHA256 over the raw body, "sha256=" and lower-case hex.</summary>
public sealed class SandboxSignatureTests
{
    private static readonly byte[] Key = Encoding.UTF8.GetBytes("unit-test-sandbox-secret");
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("{\"topUpNo\":\"TU1\",\"tradeNo\":\"SB1\",\"amount\":100.00,\"status\":\"paid\"}");

    [Fact]
    public void A_signature_matches_the_published_HMAC_of_the_body()
    {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        Assert.Equal("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
            SandboxSignature.Sign(Encoding.ASCII.GetBytes("Jefe"), Encoding.ASCII.GetBytes("what do ya want for nothing?")));
    }

    [Fact]
    public void The_right_signature_is_accepted_in_either_case_of_hex()
    {
        var signature = SandboxSignature.Sign(Key, Body);
        Assert.True(SandboxSignature.IsValid(Key, signature, Body));
        Assert.True(SandboxSignature.IsValid(Key, "sha256=" + signature[7..].ToUpperInvariant(), Body));
    }

    [Fact]
    public void A_changed_body_or_another_key_is_refused()
    {
        var signature = SandboxSignature.Sign(Key, Body);
        var changed = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Body).Replace("100.00", "1000.00", StringComparison.Ordinal));
        Assert.False(SandboxSignature.IsValid(Key, signature, changed));
        Assert.False(SandboxSignature.IsValid(Encoding.UTF8.GetBytes("another-secret-entirely"), signature, Body));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("sha256=")]
    [InlineData("sha1=0123456789abcdef0123456789abcdef01234567")]
    [InlineData("sha256=zz")]
    [InlineData("sha256=not-hex-not-hex-not-hex-not-hex-not-hex-not-hex-not-hex-not-he")]
    [InlineData("SHA256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")]
    public void Malformed_headers_are_refused_without_throwing(string? header)
    {
        Assert.False(SandboxSignature.IsValid(Key, header, Body));
    }

    [Fact]
    public void A_truncated_or_padded_signature_is_refused()
    {
        var signature = SandboxSignature.Sign(Key, Body);
        Assert.False(SandboxSignature.IsValid(Key, signature[..^2], Body));
        Assert.False(SandboxSignature.IsValid(Key, signature + "00", Body));
    }
}
