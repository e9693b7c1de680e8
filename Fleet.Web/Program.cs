using Fleet.Web.Api;
using Fleet.Web.Components;
using Fleet.Web.Hardening;
using Fleet.Web.Live;
using Fleet.Web.Session;

var builder = WebApplication.CreateBuilder(args);
// Static web assets (our CSS and script) are served from the build output in every environment, not only Development.
builder.WebHost.UseStaticWebAssets();

builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services
    .AddFleetApi(builder.Configuration)
    .AddFleetSession(builder.Configuration, builder.Environment)
    .AddFleetHardening(builder.Configuration, builder.Environment)
    .AddFleetLive();

var app = builder.Build();

app.UseFleetHardening();
app.UseAuthentication();
app.UseFormChecks();
app.UseResumeAfterSignIn();
app.UseAuthorization();
app.UseAntiforgery();

app.MapStaticAssets();
app.MapSessionEndpoints();
app.MapHospitalSignIn();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

app.Run();

/// <summary>The entry point, for tests that look at the app's types.</summary>
public partial class Program;
