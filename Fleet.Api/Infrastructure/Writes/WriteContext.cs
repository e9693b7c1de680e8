using System.Security.Claims;
using Fleet.Api.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fleet.Api.Infrastructure.Writes;

/// <summary>
/// What every endpoint that changes something needs, bound in one parameter with <c>[AsParameters]</c>: who asks,
/// the write scope, the clock and the request's cancellation.
/// </summary>
public readonly record struct WriteContext(ClaimsPrincipal User, Writes Writes, TimeProvider Time, CancellationToken Ct)
{
    /// <summary>The audit trail's actor: <c>user:name</c>.</summary>
    public string Actor => Auth.Actor.User(User);

    /// <summary>The user name as records keep it (who started a session, who cleaned).</summary>
    public string Name => Auth.Actor.Name(User);

    /// <summary>
    /// The begin-write / refuse-or-commit sequence of every write endpoint: the change runs inside the write scope, on
    /// state read inside it, with one "now". A refusal (problem details) rolls back and forgets every tracked change;
    /// any other answer commits first and is sent only once committed. A 422 that carries a record (an invalid
    /// cleaning) is an answer, not a refusal: the record is kept.
    /// </summary>
    public async Task<TResult> ChangeAsync<TResult>(Func<DateTimeOffset, Task<TResult>> change) where TResult : IResult
    {
        await using var write = await Writes.BeginAsync(Ct);
        var result = await change(Time.GetUtcNow());
        if (!IsRefusal(result)) await write.CommitAsync(Ct);
        return result;
    }

    public static bool IsRefusal(IResult result) => (result is INestedHttpResult nested ? nested.Result : result) is ProblemHttpResult;
}
