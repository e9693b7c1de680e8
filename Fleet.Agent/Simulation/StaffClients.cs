using Fleet.Client;

namespace Fleet.Agent.Simulation;

/// <summary>
/// The simulated hospital staff's API clients, one per development user and role: biomed registers and enrolls
/// headsets and clears flags, the scheduler assigns and ends sessions, the nurse cleans. One connection pool for all three.
/// </summary>
public sealed class StaffClients : IDisposable
{
    private readonly SocketsHttpHandler _connections = new();
    private readonly List<HttpClient> _clients = [];

    public StaffClients(Uri api, string password)
    {
        Biomed = ClientAs("biomed", api, password);
        Scheduler = ClientAs("scheduler", api, password);
        Nurse = ClientAs("nurse", api, password);
    }

    public FleetApiClient Biomed { get; }
    public FleetApiClient Scheduler { get; }
    public FleetApiClient Nurse { get; }

    private FleetApiClient ClientAs(string username, Uri api, string password)
    {
        // Not disposed with the client: the token handler would dispose the connections the other two share.
        var http = new HttpClient(new DevelopmentUserToken(username, password) { InnerHandler = _connections }, disposeHandler: false)
        {
            BaseAddress = api,
            Timeout = TimeSpan.FromSeconds(60),
        };
        _clients.Add(http);
        return new FleetApiClient(http);
    }

    public void Dispose()
    {
        foreach (var http in _clients) http.Dispose();
        _connections.Dispose();
    }
}
