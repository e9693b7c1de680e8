using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;

namespace Fleet.Api.Infrastructure.OpenApi;

/// <summary>
/// The OpenAPI document at /openapi/v1.json: what each endpoint takes and answers (the refusals are declared beside the
/// routes, see Problems/Refusals.cs), which endpoints need a bearer token, and examples of the main bodies.
/// docs/api/openapi-v1.json is the committed copy clients are generated from; a test keeps the two equal.
/// </summary>
public static class OpenApiSetup
{
    public const string BearerScheme = "Bearer";

    public static IServiceCollection AddFleetOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(o =>
        {
            o.AddDocumentTransformer((doc, _, _) =>
            {
                doc.Info.Title = "Fleet API";
                doc.Info.Description = "Hygiene state, assignment gate, lifetime and audit for shared clinical VR headsets. "
                    + "Every error is RFC 9457 problem details with a stable 'code'.";
                doc.Components ??= new OpenApiComponents();
                doc.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                doc.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http, Scheme = "bearer", BearerFormat = "JWT",
                    Description = "A token from POST /api/v1/auth/token (or the hospital's identity provider).",
                };
                return Task.CompletedTask;
            });
            o.AddOperationTransformer((operation, context, _) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                if (metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any())
                {
                    operation.Security ??= [];
                    operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] });
                }
                return Task.CompletedTask;
            });
            o.AddSchemaTransformer((schema, context, _) =>
            {
                DeclareConvertedType(schema, context.JsonTypeInfo.Type, context.JsonPropertyInfo);
                if (OpenApiExamples.For(context.JsonTypeInfo.Type, context.JsonTypeInfo.Options) is { } example) schema.Examples = [example];
                return Task.CompletedTask;
            });
        });

    /// <summary>
    /// Fleet's own converters (text that explains its errors in words, instants always written in UTC) hide the
    /// JSON type from the schema generator, which then leaves it out; a client generator needs it.
    /// </summary>
    private static void DeclareConvertedType(OpenApiSchema schema, Type type, System.Text.Json.Serialization.Metadata.JsonPropertyInfo? property)
    {
        if (schema.Type is not null) return;
        var underlying = Nullable.GetUnderlyingType(type);
        if (type == typeof(string))
            schema.Type = property is { IsGetNullable: true } ? JsonSchemaType.String | JsonSchemaType.Null : JsonSchemaType.String;
        else if ((underlying ?? type) == typeof(DateTimeOffset))
        {
            schema.Type = underlying is null ? JsonSchemaType.String : JsonSchemaType.String | JsonSchemaType.Null;
            schema.Format = "date-time";
        }
    }
}
