using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Fleet.Domain;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using static Fleet.Api.Fhir.FhirJson;

namespace Fleet.Api.Fhir;

/// <summary>A FHIR resource as the response body, as <c>application/fhir+json</c>.</summary>
public sealed class FhirResult(JsonObject resource, int statusCode = StatusCodes.Status200OK)
    : IResult, IStatusCodeHttpResult, IContentTypeHttpResult, IEndpointMetadataProvider
{
    // Diagnostics are read by people at the EHR: keep quotes and angle brackets readable (the body is never HTML).
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public JsonObject Resource { get; } = resource;
    public int? StatusCode => statusCode;
    string? IContentTypeHttpResult.ContentType => FhirJson.ContentType;

    public Task ExecuteAsync(HttpContext http)
    {
        http.Response.StatusCode = statusCode;
        http.Response.ContentType = FhirJson.ContentType;
        return http.Response.WriteAsync(Resource.ToJsonString(Json), http.RequestAborted);
    }

    /// <summary>Tells OpenAPI what FHIR endpoints answer: a resource, or an OperationOutcome.</summary>
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        foreach (var status in new[] { StatusCodes.Status200OK, StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound })
            builder.Metadata.Add(new ProducesResponseTypeMetadata(status, typeof(JsonObject), [FhirJson.ContentType]));
    }

    public static FhirResult Outcome(int status, string code, string text) => new(OperationOutcomes.Build(status, code, text), status);

    public static FhirResult NotFound(string type, string id) =>
        Outcome(StatusCodes.Status404NotFound, Codes.NotFound, $"There is no {type} '{id}'.");

    public static FhirResult Invalid(string parameter, string message) =>
        Outcome(StatusCodes.Status400BadRequest, Codes.ValidationFailed, $"{parameter}: {message}");
}

public static class OperationOutcomes
{
    /// <summary>FHIR's issue type for an HTTP status; Fleet's stable problem code goes in <c>details</c>.</summary>
    public static string IssueType(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "invalid",
        StatusCodes.Status401Unauthorized => "login",
        StatusCodes.Status403Forbidden => "forbidden",
        StatusCodes.Status404NotFound => "not-found",
        StatusCodes.Status409Conflict => "conflict",
        StatusCodes.Status422UnprocessableEntity => "business-rule",
        StatusCodes.Status429TooManyRequests => "throttled",
        _ => "exception",
    };

    public static JsonObject Build(int status, string code, string text) => new()
    {
        ["resourceType"] = "OperationOutcome",
        ["issue"] = new JsonArray(new JsonObject
        {
            ["severity"] = "error",
            ["code"] = IssueType(status),
            ["details"] = Concept(Coding(ProblemSystem, code), text),
            ["diagnostics"] = text,
        }),
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
