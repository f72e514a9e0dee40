using System.Security.Cryptography;
using System.Text;

namespace OpenGov.Accounts;

/// <summary>Creates and hashes API tokens. A token is 32 random bytes, base64url; only its SHA-256 is stored.</summary>
public static class Tokens
{
    public static string NewToken() => Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
