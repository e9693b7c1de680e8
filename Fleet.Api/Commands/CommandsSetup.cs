namespace Fleet.Api.Commands;

public static class CommandsSetup
{
    /// <summary>Commands to headsets (lock, wipe, ...): the dispatcher that publishes them and follows their answers.</summary>
    public static IServiceCollection AddFleetCommands(this IServiceCollection services)
    {
        services.AddSingleton<CommandDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<CommandDispatcher>());
        return services;
    }
}
