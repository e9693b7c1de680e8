using Fleet.Agent.Core;
using Fleet.Agent.Core.Probes.Simulated;
using Fleet.Agent.Core.Shown;
using Fleet.Client;
using Fleet.Contracts.Api;
using Fleet.Domain;
using Microsoft.Extensions.Logging;

namespace Fleet.Agent.Simulation;

internal enum Phase { Waiting, Idle, InSession, Cleaning, Inspection, Retired }

/// <summary>
/// One virtual headset's day, driven by what its agent shows (Fleet's retained state): dirty → the nurse cleans it; ready →
/// it waits on the charging dock until the scheduler assigns it; in session → worn, battery draining, then taken off and
/// returned; flagged → biomed inspects it. Simulated durations run <see cref="SimulationOptions.Speed"/> times faster.
/// </summary>
internal sealed class VirtualHeadset(string id, string modelId, string wardId, HeadsetAgent agent, SimulatedDevice device,
    HospitalStaff staff, SimulationOptions options, Random random, ILogger log)
{
    private static readonly string[] Apps = ["com.vendor.therapy.calm", "com.vendor.therapy.burns", "com.vendor.distraction.ocean", "com.vendor.physio.reach"];
    private static readonly string[] Notes = ["felt fine", "mild headache", "dizzy after 10 min", "a little nauseous at the end", "eyes tired"];
    private static readonly HashSet<string> FlagCodes = [Codes.MotionSicknessFlag, Codes.DamageFlag, Codes.Maintenance, Codes.Recall];
    private static readonly TimeSpan MinimumPause = TimeSpan.FromSeconds(2);

    private bool _sporicidalNext;
    private Guid? _openSession;

    public string Id => id;
    public string ModelId => modelId;
    public HeadsetAgent Agent => agent;
    public Phase Phase { get; private set; } = Phase.Waiting;

    public async Task LiveAsync(CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                try
                {
                    await StepAsync(agent.Shown, ct);
                }
                catch (Exception e) when (e is FleetApiException or HttpRequestException or InvalidOperationException or TaskCanceledException && !ct.IsCancellationRequested)
                {
                    log.LogDebug("{Headset}: {Phase} did not work out ({Error}); trying again later", id, Phase, e.Message);
                    Phase = Phase.Waiting;
                    await SimulatedDelayAsync(TimeSpan.FromMinutes(5), ct);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        finally
        {
            Phase = Phase == Phase.Retired ? Phase.Retired : Phase.Waiting;
        }
    }

    /// <summary>The scheduler returns a headset still out with a patient when the simulation stops.</summary>
    public async Task ReturnAsync(CancellationToken ct)
    {
        if (_openSession is { } session)
        {
            _openSession = null;
            await staff.EndSessionAsync(session, ct);
        }
    }

    /// <summary>The nurse puts it in the UV-C cabinet: off the dock for the real cycle time, then the agent reports the cycle.</summary>
    public async Task CabinetCycleAsync(int cycleSeconds, bool completed, CancellationToken ct)
    {
        device.SetDocked(false);
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(cycleSeconds + 1), ct);
            agent.RecordCabinetCycle($"UV-{wardId}", cycleSeconds, completed);
        }
        finally
        {
            device.SetDocked(true);
        }
    }

    private async Task StepAsync(ShownState shown, CancellationToken ct)
    {
        var codes = shown.Reasons.Select(r => r.Code).ToHashSet();
        if (codes.Contains(ShownState.UnknownCode))
        {
            Phase = Phase.Waiting;
            await ChangeAsync(shown, TimeSpan.FromSeconds(30), ct);
        }
        else if (codes.Contains(Codes.Retired))
        {
            Phase = Phase.Retired;
            await Task.Delay(Timeout.Infinite, ct);
        }
        else if (shown.Ready)
        {
            await TreatNextPatientAsync(ct);
        }
        else if (codes.Contains(Codes.InUse) && shown.SessionId is { } leftover)
        {
            // A session this process did not start (an earlier run): the scheduler closes it.
            await staff.EndSessionAsync(leftover, ct);
            await ChangeAsync(shown, TimeSpan.FromSeconds(15), ct);
        }
        else if (codes.Overlaps(FlagCodes))
        {
            Phase = Phase.Inspection;
            await SimulatedDelayAsync(TimeSpan.FromMinutes(random.Next(20, 60)), ct);
            await staff.InspectAsync(id, ct);
            await ChangeAsync(shown, TimeSpan.FromSeconds(15), ct);
        }
        else if (codes.Contains(Codes.NotClean) || codes.Contains(Codes.FacialInterfaceWorn) || codes.Contains("cleaning_overdue"))
        {
            Phase = Phase.Cleaning;
            await SimulatedDelayAsync(TimeSpan.FromMinutes(random.Next(2, 20)), ct);
            var replace = codes.Contains(Codes.FacialInterfaceWorn) || random.NextDouble() < 0.02;
            await staff.CleanAsync(this, _sporicidalNext, replace, random, ct);
            _sporicidalNext = false;
            // Until Fleet's verdict arrives the state still says dirty or cleaning; an invalid cleaning leaves it dirty (no news).
            await WaitForAsync(s => s.Hygiene is not (HygieneStates.Dirty or HygieneStates.Cleaning), TimeSpan.FromSeconds(15), ct);
        }
        else
        {
            // Low battery, offline, and the like: it charges on the dock until Fleet says otherwise.
            Phase = Phase.Waiting;
            await ChangeAsync(shown, Simulated(TimeSpan.FromMinutes(10)), ct);
        }
    }

    private async Task TreatNextPatientAsync(CancellationToken ct)
    {
        Phase = Phase.Idle;
        // Waiting on the dock for the next patient; if Fleet takes it out of service meanwhile, that comes first.
        if (await WaitForAsync(s => !s.Ready, Simulated(TimeSpan.FromMinutes(random.Next(5, 60))), ct)) return;

        var minutes = random.Next(15, 46);
        var contact = staff.AllowsSporicidal(modelId) && random.NextDouble() < 0.05;
        var session = await staff.AssignAsync(id, wardId, minutes, contact, random, ct);
        _openSession = session.Id;
        _sporicidalNext |= contact;
        // The agent learns its session from Fleet's state, and tags its session events with it.
        if (!await WaitForAsync(s => s.SessionId == session.Id, TimeSpan.FromSeconds(60), ct))
        {
            log.LogWarning("{Headset}: Fleet's state never showed session {Session}; returning it unused", id, session.Id);
            await ReturnAsync(ct);
            return;
        }

        Phase = Phase.InSession;
        var app = Apps[random.Next(Apps.Length)];
        device.SetDocked(false);
        device.SetInUse(true);
        device.Worn.Report(true);
        device.Sessions.Started(app);
        var wear = TimeSpan.FromMinutes(minutes * (0.8 + 0.2 * random.NextDouble()));
        try
        {
            await SimulatedDelayAsync(wear, ct);
            await ReturnAsync(ct);
        }
        finally
        {
            var (fps, dropped, lost) = Performance();
            device.Sessions.Ended(app, (long)wear.TotalSeconds, fps, dropped, lost);
            device.Worn.Report(false);
            device.SetInUse(false);
            device.SetDocked(true);
        }
        if (random.NextDouble() < 0.12) ReportComfort(session.Id);
        await ChangeAsync(agent.Shown, TimeSpan.FromSeconds(15), ct);
    }

    /// <summary>Frame rate near the model's target; now and then a bad session (which Fleet flags for inspection).</summary>
    private (double Fps, double Dropped, int Lost) Performance()
    {
        var target = device.Model.FpsTarget;
        var dropped = random.NextDouble() < 0.02 ? 5.5 + random.NextDouble() * 4 : random.NextDouble() * 1.5;
        var lost = random.NextDouble() < 0.03 ? random.Next(4, 7) : random.Next(0, 3);
        return (Math.Round(target * (0.95 + 0.05 * random.NextDouble()) - dropped / 10, 1), Math.Round(dropped, 2), lost);
    }

    private void ReportComfort(Guid sessionId)
    {
        var r = random.NextDouble();
        var fms = r < 0.05 ? random.Next(10, 15) : r < 0.3 ? random.Next(4, 9) : random.Next(0, 4);
        agent.RecordComfortReport(fms, random.NextDouble() < 0.5 ? Notes[random.Next(Notes.Length)] : null, sessionId);
    }

    private TimeSpan Simulated(TimeSpan simulated)
    {
        var real = simulated / options.Speed;
        return real > MinimumPause ? real : MinimumPause;
    }

    private Task SimulatedDelayAsync(TimeSpan simulated, CancellationToken ct) => Task.Delay(Simulated(simulated), ct);

    private Task ChangeAsync(ShownState from, TimeSpan timeout, CancellationToken ct) => WaitForAsync(s => s.LooksDifferentFrom(from), timeout, ct);

    /// <summary>True as soon as the shown state satisfies <paramref name="condition"/>; false after <paramref name="timeout"/>.</summary>
    private async Task<bool> WaitForAsync(Func<ShownState, bool> condition, TimeSpan timeout, CancellationToken ct)
    {
        var met = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Changed(ShownState s)
        {
            if (condition(s)) met.TrySetResult();
        }
        agent.ShownChanged += Changed;
        try
        {
            if (condition(agent.Shown)) return true;
            await met.Task.WaitAsync(timeout, ct);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
        finally
        {
            agent.ShownChanged -= Changed;
        }
    }
}
