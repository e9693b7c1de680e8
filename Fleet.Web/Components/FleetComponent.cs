using Fleet.Client;
using Fleet.Web.Api;
using Fleet.Web.Session;
using Microsoft.AspNetCore.Components;

namespace Fleet.Web.Components;

/// <summary>What every page and live list needs: the API as the signed-in person, the session, and the posted form.</summary>
public abstract class FleetComponent : ComponentBase
{
    [Inject] protected FleetApiClient Api { get; set; } = default!;
    [Inject] protected FleetSession Session { get; set; } = default!;
    [Inject] protected Display Show { get; set; } = default!;
    [Inject] protected NavigationManager Nav { get; set; } = default!;
    [CascadingParameter] protected HttpContext? Http { get; set; }

    /// <summary>The last refusal or error, shown in plain words by <c>ProblemView</c>.</summary>
    protected ApiProblem? Problem { get; set; }

    protected bool IsPost => Http is { } h && HttpMethods.IsPost(h.Request.Method) && h.Request.HasFormContentType;

    /// <summary>The name of the form this POST submitted (Blazor's <c>_handler</c> field).</summary>
    protected string? PostedForm => Posted("_handler");

    protected string? Posted(string name) =>
        IsPost && Http!.Request.Form.TryGetValue(name, out var v) && v.Count > 0 ? v.ToString() : null;

    protected bool PostedTrue(string name) => Posted(name) is "true" or "on";

    /// <summary>Runs one API call; a refusal is kept in <see cref="Problem"/>, a 401 opens the sign-in dialog.</summary>
    protected async Task<T?> Call<T>(Func<Task<T>> call) where T : class
    {
        try
        {
            return await call();
        }
        catch (SessionExpiredException)
        {
            // FleetSession.Expired is set; the layout shows the dialog over this page.
        }
        catch (FleetApiException e)
        {
            Problem = e.Problem;
        }
        return null;
    }
}
