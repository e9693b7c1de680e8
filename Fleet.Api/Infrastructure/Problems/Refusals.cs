using Fleet.Contracts.Api;

namespace Fleet.Api.Infrastructure.Problems;

/// <summary>
/// Declares, for the OpenAPI document, the refusals an endpoint can answer and the problem shape of each: 400 names
/// the fields (<see cref="ValidationProblem"/>), 409 from the assignment gate carries its reasons
/// (<see cref="GateProblem"/>), 422 carries the rule's reasons (<see cref="RuleProblem"/>), the rest are a
/// <see cref="Problem"/>. The handlers' <c>Results&lt;..., ProblemHttpResult&gt;</c> cannot say which statuses the
/// problem takes; this does, and the OpenAPI tests probe every endpoint to hold it to its word.
/// </summary>
public static class Refusals
{
    public const string ProblemJson = "application/problem+json";

    /// <summary>401 without a token, 403 without the role: on every group whose endpoints need a signed-in role.</summary>
    public static TBuilder RefusesWithoutRole<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.Refuses(StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden);

    public static TBuilder Refuses<TBuilder>(this TBuilder builder, params int[] statuses) where TBuilder : IEndpointConventionBuilder
    {
        foreach (var status in statuses) builder.WithMetadata(Declared(status, ShapeOf(status)));
        return builder;
    }

    /// <summary>An endpoint that reads a JSON body: unreadable or invalid (400), too large (413), not JSON (415).</summary>
    public static TBuilder ReadsBody<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.Refuses(StatusCodes.Status400BadRequest, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType);

    /// <summary>409 with the gate's reasons and warnings, where the assignment gate decides.</summary>
    public static TBuilder RefusedByTheGate<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(Declared(StatusCodes.Status409Conflict, typeof(GateProblem)));

    private static Type ShapeOf(int status) => status switch
    {
        StatusCodes.Status400BadRequest => typeof(ValidationProblem),
        StatusCodes.Status422UnprocessableEntity => typeof(RuleProblem),
        _ => typeof(Problem),
    };

    private static ProducesResponseTypeMetadata Declared(int status, Type shape) => new(status, shape, [ProblemJson]);
}
