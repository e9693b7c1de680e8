using Fleet.Client;
using Fleet.Contracts.Api;
using Fleet.Domain;

namespace Fleet.Agent.Simulation;

/// <summary>
/// The people around the virtual headsets, acting through the REST API as the development users: the scheduler assigns
/// and ends sessions, the nurse wipes (waiting the product's real contact time: the API measures it with its own clock) or
/// puts a headset in the UV-C cabinet, biomed inspects flagged headsets and clears their flags.
/// </summary>
internal sealed class HospitalStaff(StaffClients api, IReadOnlyDictionary<string, ModelView> models, IReadOnlyList<ProductView> products, TimeProvider time)
{
    private static readonly string[] Precautions = ["contact"];

    public bool AllowsSporicidal(string modelId) => Allowed(modelId).Any(p => p.Sporicidal);

    public Task<SessionView> AssignAsync(string headsetId, string wardId, int minutes, bool contactPrecautions, Random random, CancellationToken ct) =>
        api.Scheduler.AssignAsync(new AssignRequest(headsetId, $"SIM-{random.Next(100_000, 999_999)}", wardId, minutes,
            contactPrecautions ? Precautions : null), ct);

    public Task EndSessionAsync(Guid sessionId, CancellationToken ct) => api.Scheduler.EndSessionAsync(sessionId, ct);

    /// <summary>One cleaning between patients: a UV-C cycle now and then (never when a sporicidal clean is due), otherwise a wipe.</summary>
    public async Task CleanAsync(VirtualHeadset headset, bool sporicidal, bool replaceInterface, Random random, CancellationToken ct)
    {
        var allowed = Allowed(headset.ModelId);
        if (!sporicidal && !replaceInterface && allowed.FirstOrDefault(p => p.Method == Methods.Uvc) is { } cabinet && random.NextDouble() < 0.3)
        {
            await headset.CabinetCycleAsync(cabinet.ContactSeconds, completed: random.NextDouble() > 0.03, ct);
            return;
        }
        try
        {
            await WipeAsync(headset.Id, Pick(allowed, sporicidal, random), replaceInterface, ct);
        }
        catch (FleetApiException e) when (e.Problem.Code == Codes.SporicidalRequired && !sporicidal)
        {
            // Contact precautions from before this simulator started: the API says so, the nurse takes the right product.
            await WipeAsync(headset.Id, Pick(allowed, sporicidal: true, random), replaceInterface, ct);
        }
    }

    /// <summary>Biomed looks the headset over and clears its open flags.</summary>
    public async Task InspectAsync(string headsetId, CancellationToken ct)
    {
        foreach (var flag in await api.Biomed.FlagsAsync(headsetId, openOnly: true, ct))
            await api.Biomed.ClearFlagAsync(flag.Id, "Simulated inspection: lens, IPD calibration, firmware and strap checked; no fault found.", ct);
    }

    private async Task WipeAsync(string headsetId, ProductView product, bool replaceInterface, CancellationToken ct)
    {
        var started = await api.Nurse.StartCleaningAsync(headsetId, product.Id, ct: ct);
        var wait = started.EarliestCompletion - time.GetUtcNow() + TimeSpan.FromMilliseconds(500);
        if (wait > TimeSpan.Zero) await Task.Delay(wait, ct);
        // An invalid verdict leaves the headset dirty: like any other failed step, the headset tries again later.
        var verdict = await api.Nurse.CompleteCleaningAsync(started.Id, replaceInterface, ct: ct);
        if (!verdict.Valid)
            throw new InvalidOperationException($"The cleaning of {headsetId} is invalid: {string.Join("; ", verdict.Problems.Select(p => p.Message))}");
    }

    private static ProductView Pick(IReadOnlyList<ProductView> allowed, bool sporicidal, Random random)
    {
        var wipes = allowed.Where(p => p.Method != Methods.Uvc && p.Sporicidal == sporicidal).ToList();
        if (wipes.Count == 0) wipes = allowed.Where(p => p.Method != Methods.Uvc).ToList();
        if (wipes.Count == 0) throw new InvalidOperationException("The catalogue has no wipe this model allows.");
        return wipes[random.Next(wipes.Count)];
    }

    private List<ProductView> Allowed(string modelId) =>
        models.TryGetValue(modelId, out var model)
            ? products.Where(p => p.Active && model.AllowedMethods.Contains(p.Method)).ToList()
            : products.Where(p => p.Active).ToList();
}
