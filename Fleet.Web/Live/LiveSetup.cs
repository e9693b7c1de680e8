using Fleet.Web.Session;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace Fleet.Web.Live;

public static class LiveSetup
{
    /// <summary>Interactive server pages: each circuit gets the signed-in person and its own view of the API's stream.</summary>
    public static IServiceCollection AddFleetLive(this IServiceCollection services)
    {
        services.AddScoped<LiveFeed>();
        services.AddScoped<CircuitHandler, CircuitUser>();
        return services;
    }

    /// <summary>Hands the circuit's authentication state (the cookie's person when the circuit opened) to the session.</summary>
    private sealed class CircuitUser(AuthenticationStateProvider auth, FleetSession session) : CircuitHandler
    {
        public override async Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken) =>
            session.UseCircuitUser((await auth.GetAuthenticationStateAsync()).User);
    }
}
