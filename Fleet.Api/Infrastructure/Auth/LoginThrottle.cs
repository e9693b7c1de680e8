using System.Globalization;
using System.Threading.RateLimiting;
using Fleet.Api.Infrastructure.Problems;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fleet.Api.Infrastructure.Auth;

/// <summary>
/// Failed sign-ins are limited per user name and per client address (the real one: a trusted proxy such as Fleet.Web
/// forwards it, see <see cref="AuthSetup"/>). Only failures count, so people signing in correctly never use up a limit,
/// and guessing one user's password from one place neither locks out other users nor other places.
/// </summary>
public sealed class LoginThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> _users;
    private readonly PartitionedRateLimiter<string> _addresses;

    public LoginThrottle(IConfiguration config)
    {
        var window = TimeSpan.FromMinutes(config.GetValue("Fleet:Auth:FailedLoginWindowMinutes", 15.0));
        _users = Limiter(config.GetValue("Fleet:Auth:FailedLoginsPerUser", 10), window);
        _addresses = Limiter(config.GetValue("Fleet:Auth:FailedLoginsPerAddress", 50), window);
    }

    /// <summary>429 with Retry-After while either limit is used up; null when this attempt may be checked.</summary>
    public ProblemHttpResult? Refusal(HttpContext http, string username)
    {
        var waits = new[] { Wait(_users, UserKey(username)), Wait(_addresses, AddressKey(http)) }.Where(w => w is not null).ToList();
        if (waits.Count == 0) return null;
        var seconds = (int)Math.Ceiling(waits.Max()!.Value.TotalSeconds);
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many failed sign-ins",
            detail: $"Too many failed sign-ins for this user name or from this place. Try again in {Math.Max(1, (seconds + 59) / 60)} min.",
            extensions: new Dictionary<string, object?> { ["code"] = "too_many_attempts", ["retryAfterSeconds"] = seconds });
    }

    public void Failed(HttpContext http, string username)
    {
        _users.AttemptAcquire(UserKey(username)).Dispose();
        _addresses.AttemptAcquire(AddressKey(http)).Dispose();
    }

    private static string UserKey(string username) => username.Trim().ToLowerInvariant();

    private static string AddressKey(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static TimeSpan? Wait(PartitionedRateLimiter<string> limiter, string key)
    {
        // Asking for no permit answers whether any is left, without using one.
        using var lease = limiter.AttemptAcquire(key, 0);
        if (lease.IsAcquired) return null;
        return lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromMinutes(1);
    }

    private static PartitionedRateLimiter<string> Limiter(int permits, TimeSpan window) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits, Window = window, QueueLimit = 0, AutoReplenishment = true,
        }));

    public void Dispose()
    {
        _users.Dispose();
        _addresses.Dispose();
    }
}
