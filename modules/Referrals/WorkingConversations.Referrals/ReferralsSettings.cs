using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;

namespace WorkingConversations.Referrals;

/// <summary>Secrets and settings of the Referrals module, from configuration section <c>Referrals</c>.</summary>
public sealed class ReferralsSettings
{
    /// <summary>
    /// The secret behind the duplicate-person match keys (<c>Referrals:MatchKey</c>, base64, 32 bytes or more). Without
    /// one, a fixed development key is used, which is fine for a laptop and wrong for real people's data.
    /// </summary>
    public required byte[] MatchKey { get; init; }

    public static ReferralsSettings From(IConfiguration configuration)
    {
        var configured = configuration["Referrals:MatchKey"];
        var key = string.IsNullOrEmpty(configured)
            ? SHA256.HashData(Encoding.UTF8.GetBytes("working-conversations-development-match-key"))
            : Convert.FromBase64String(configured);
        return new ReferralsSettings { MatchKey = key };
    }
}
