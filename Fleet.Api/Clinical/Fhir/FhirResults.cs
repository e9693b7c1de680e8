using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Fleet.Domain;
using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;
using Hl7.Fhir.Serialization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using static Fleet.Api.Clinical.Fhir.FhirTypes;

namespace Fleet.Api.Clinical.Fhir;

/// <summary>For OpenAPI: the statuses a FHIR route can answer with an OperationOutcome.</summary>
public static class FhirRefusals
{
    public static RouteHandlerBuilder RefusesWithOperationOutcome(this RouteHandlerBuilder builder, params int[] statuses)
    {
        foreach (var status in statuses) builder.WithMetadata(FhirResult.Declared(status));
        return builder;
    }
}

/// <summary>A FHIR resource as the response body, serialised by the Firely SDK as <c>application/fhir+json</c>.</summary>
public sealed class FhirResult(Resource resource, int statusCode = StatusCodes.Status200OK)
    : IResult, IStatusCodeHttpResult, IContentTypeHttpResult, IEndpointMetadataProvider
{
    public Resource Resource { get; } = resource;
    public int? StatusCode => statusCode;
    string? IContentTypeHttpResult.ContentType => ContentType;

    public Task ExecuteAsync(HttpContext http)
    {
        http.Response.StatusCode = statusCode;
        http.Response.ContentType = ContentType;
        return http.Response.Body.WriteAsync(FhirSerializer.ToBytes(Resource), http.RequestAborted).AsTask();
    }

    /// <summary>Tells OpenAPI what FHIR endpoints answer: a FHIR JSON resource (the refusals, OperationOutcomes, each route declares).</summary>
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(Declared(StatusCodes.Status200OK));

    internal static ProducesResponseTypeMetadata Declared(int status) => new(status, typeof(JsonObject), [ContentType]);

    public static FhirResult Outcome(int status, string code, string text) => new(OperationOutcomes.Build(status, code, text), status);

    public static FhirResult NotFound(string type, string id) =>
        Outcome(StatusCodes.Status404NotFound, Codes.NotFound, $"There is no {type} '{id}'.");

    public static FhirResult Invalid(string parameter, string message) =>
        Outcome(StatusCodes.Status400BadRequest, Codes.ValidationFailed, $"{parameter}: {message}");
}

/// <summary>The SDK's JSON serialiser, for responses and for the EHR push alike.</summary>
public static class FhirSerializer
{
    private static readonly FhirJsonSerializer Serializer = new();

    // Diagnostics are read by people at the EHR: keep quotes and angle brackets readable (the body is never HTML).
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] ToBytes(Resource resource)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Options)) Serializer.Serialize(resource, writer);
        return buffer.ToArray();
    }
}

public static class OperationOutcomes
{
    /// <summary>FHIR's issue type for an HTTP status; Fleet's stable problem code goes in <c>details</c>.</summary>
    public static OperationOutcome.IssueType IssueType(int status) => status switch
    {
        StatusCodes.Status400BadRequest => OperationOutcome.IssueType.Invalid,
        StatusCodes.Status401Unauthorized => OperationOutcome.IssueType.Login,
        StatusCodes.Status403Forbidden => OperationOutcome.IssueType.Forbidden,
        StatusCodes.Status404NotFound => OperationOutcome.IssueType.NotFound,
        StatusCodes.Status409Conflict => OperationOutcome.IssueType.Conflict,
        StatusCodes.Status422UnprocessableEntity => OperationOutcome.IssueType.BusinessRule,
        StatusCodes.Status429TooManyRequests => OperationOutcome.IssueType.Throttled,
        _ => OperationOutcome.IssueType.Exception,
    };

    public static OperationOutcome Build(int status, string code, string text) =>
        Build(OperationOutcome.IssueSeverity.Error, IssueType(status), code, text);

    public static OperationOutcome Build(OperationOutcome.IssueSeverity severity, OperationOutcome.IssueType type, string code, string text) => new()
    {
        Issue =
        [
            new OperationOutcome.IssueComponent
            {
                Severity = severity,
                Code = type,
                Details = Concept(Code(ProblemSystem, code), text),
                Diagnostics = text,
            },
        ],
    };
}

/// <summary>
/// Errors that do not come from a FHIR handler (401, 403, unknown routes, exceptions) reach the problem-details service;
/// under /fhir they are written as OperationOutcome. Custom writers are tried before the default one.
/// </summary>
internal sealed class FhirOutcomeWriter(IOptions<ProblemDetailsOptions> options) : IProblemDetailsWriter
{
    public const string Prefix = "/fhir";

    public bool CanWrite(ProblemDetailsContext context) => context.HttpContext.Request.Path.StartsWithSegments(Prefix);

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var http = context.HttpContext;
        var pd = context.ProblemDetails;
        pd.Status ??= http.Response.StatusCode;
        options.Value.CustomizeProblemDetails?.Invoke(context);
        var code = pd.Extensions.TryGetValue("code", out var c) && c is string s ? s : "internal_error";
        var result = FhirResult.Outcome(pd.Status.Value, code, pd.Detail ?? pd.Title ?? "The request failed.");
        return new ValueTask(result.ExecuteAsync(http));
    }
}
