using Fleet.Api.Tests.Support;
using Fleet.Contracts.Api;

namespace Fleet.Api.Tests.Clinical.Fhir;

/// <summary>
/// One ward history that has every kind of FHIR resource Fleet emits:
/// MRN-A used HS-0001 and reported FMS 12 (the rule then held HS-0001), then used HS-0002, which a nurse then held for
/// motion sickness; an invalid cleaning was logged on HS-0002; HS-0003 is clean and ready; HS-0012 is retired.
/// </summary>
public sealed class FhirHistory : IAsyncLifetime
{
    public FleetApp App { get; } = new();
    public SessionView First { get; private set; } = null!;
    public SessionView Second { get; private set; } = null!;
    public ComfortReportView Report { get; private set; } = null!;
    public FlagView NurseHold { get; private set; } = null!;
    public CleaningView Valid { get; private set; } = null!;
    public CleaningView Invalid { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await App.CleanAsync("HS-0001");
        First = await App.UseAsync("HS-0001", "MRN-A");
        Report = await App.ReportComfortAsync("HS-0001", First.Id, 12);

        Valid = await App.CleanAsync("HS-0002");
        Second = await App.UseAsync("HS-0002", "MRN-A", 20);
        NurseHold = await App.RaiseFlagAsync("HS-0002", "motion_sickness", "Patient nauseous after ten minutes.");
        var ended = App.Time.GetUtcNow();
        App.Time.Advance(TimeSpan.FromMinutes(5));
        Invalid = await App.LogCleaningAsync("HS-0002", "quat-wipe", ended.AddMinutes(1), ended.AddMinutes(2)); // 60 s of 120

        await App.CleanAsync("HS-0003");
        await (await App.ClientAs("biomed")).Post("/api/v1/headsets/HS-0012/retire", new RetireRequest("Cracked housing."));
    }

    public Task DisposeAsync()
    {
        App.Dispose();
        return Task.CompletedTask;
    }
}
