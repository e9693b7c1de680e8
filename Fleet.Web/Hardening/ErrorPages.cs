using System.Net;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Diagnostics;

namespace Fleet.Web.Hardening;

/// <summary>
/// Plain pages for refused requests and failures, written without Blazor (a broken form must not be read again to
/// render the answer) and without any exception text: bad input gets 400 or 413 in plain words, only a real fault 500.
/// </summary>
public static class ErrorPages
{
    public static IResult Result(int status, string message) => new PlainPage(status, message);

    /// <summary>
    /// Exceptions become plain pages in every environment; the developer exception page only with
    /// <c>Fleet:DeveloperExceptionPage=true</c>. Status codes without a body get a plain page too, except a GET that found
    /// nothing, which gets the site's own not-found page.
    /// </summary>
    public static WebApplication UseFleetErrorPages(this WebApplication app)
    {
        if (app.Configuration.GetValue("Fleet:DeveloperExceptionPage", false)) app.UseDeveloperExceptionPage();
        else app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = HandleExceptionAsync });
        app.UseStatusCodePages(async context =>
        {
            var http = context.HttpContext;
            if (http.Response.StatusCode == StatusCodes.Status404NotFound && (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method)))
            {
                await NotFoundPageAsync(context);
                return;
            }
            await WriteAsync(http, http.Response.StatusCode, null);
        });
        return app;
    }

    private static Task HandleExceptionAsync(HttpContext http)
    {
        var error = http.Features.Get<IExceptionHandlerFeature>()?.Error;
        var (status, message) = Classify(error);
        if (status >= 500)
            http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Fleet.Web.Errors").LogError(error, "Unhandled error on {Path}", http.Request.Path);
        return WriteAsync(http, status, message);
    }

    /// <summary>What the person sent, not a fault of ours: say what was wrong with it (the cause may be wrapped, e.g. in antiforgery's).</summary>
    private static (int Status, string? Message) Classify(Exception? error)
    {
        var chain = new List<Exception>();
        for (var e = error; e is not null; e = e.InnerException) chain.Add(e);
        if (chain.OfType<BadHttpRequestException>().FirstOrDefault() is { } bad)
            return bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? (413, "What was sent is far larger than any Fleet form.") : (bad.StatusCode, "The request could not be read.");
        if (chain.OfType<InvalidDataException>().Any())
            return (400, "The form holds characters, or more or longer fields, than any Fleet form accepts.");
        if (chain.OfType<AntiforgeryValidationException>().Any())
            return (400, FormExpired);
        return (500, null);
    }

    public const string FormExpired = "This form has expired or did not come from Fleet. Go back, reload the page and try again.";

    public static async Task WriteAsync(HttpContext http, int status, string? message)
    {
        if (http.Response.HasStarted) return;
        http.Response.Clear();
        http.Response.StatusCode = status;
        http.Response.ContentType = "text/html; charset=utf-8";
        // A rejected body may still be arriving; do not make the browser wait for the rest of it.
        if (status == StatusCodes.Status413PayloadTooLarge) http.Response.Headers.Connection = "close";
        var (title, text) = Words(status);
        await http.Response.WriteAsync($"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8" /><title>{WebUtility.HtmlEncode(title)} · Fleet</title>
            <link rel="stylesheet" href="/app.css" /></head>
            <body><main id="main" class="card narrow"><h1>{WebUtility.HtmlEncode(title)}</h1>
            <p>{WebUtility.HtmlEncode(message ?? text)}</p><p><a href="/">Go to your start page</a></p></main></body></html>
            """);
    }

    private static (string Title, string Text) Words(int status) => status switch
    {
        400 => ("Bad request", "Fleet could not read what was sent."),
        403 => ("Not allowed", "Your role does not allow this."),
        404 => ("Not found", "There is no such page."),
        405 => ("Not allowed", "This address does not take that kind of request."),
        413 => ("Too large", "What was sent is larger than Fleet accepts."),
        415 => ("Not a form", "Fleet could not read what was sent."),
        429 => ("Too many attempts", "Wait a moment and try again."),
        >= 500 => ("Something went wrong", "Fleet could not finish this. Nothing you typed was lost on the server's side; try again in a moment."),
        _ => ("Refused", "Fleet could not do this."),
    };

    /// <summary>Renders /not-found in a fresh scope, as UseStatusCodePagesWithReExecute does.</summary>
    private static async Task NotFoundPageAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        var (path, query, services, endpoint) = (http.Request.Path, http.Request.QueryString, http.RequestServices, http.GetEndpoint());
        await using var scope = services.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        try
        {
            http.Request.Path = "/not-found";
            http.Request.QueryString = QueryString.Empty;
            http.RequestServices = scope.ServiceProvider;
            http.SetEndpoint(null);
            http.Request.RouteValues.Clear();
            await context.Next(http);
        }
        finally
        {
            (http.Request.Path, http.Request.QueryString, http.RequestServices) = (path, query, services);
            http.SetEndpoint(endpoint);
        }
    }

    private sealed class PlainPage(int status, string message) : IResult
    {
        public Task ExecuteAsync(HttpContext http) => WriteAsync(http, status, message);
    }
}
