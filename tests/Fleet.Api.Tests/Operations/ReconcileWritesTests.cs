using System.Diagnostics.Metrics;
using Fleet.Api.Infrastructure.Observability;
using Fleet.Api.Infrastructure.Writes;
using Fleet.Api.Operations.Jobs;
using Fleet.Api.Tests.Support;
using Fleet.Contracts.Api;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;

namespace Fleet.Api.Tests.Operations;

/// <summary>
/// Reconciling tasks and alerts runs twice a second under telemetry (every headset heard from is "changed") and over the
/// whole fleet on every scheduled cycle. It is nobody's click, so it queues behind people like ingestion does, and it
/// writes a few headsets at a time, so a nurse who arrives while it runs waits for one small write, not the fleet's.
/// </summary>
public sealed class ReconcileWritesTests : IDisposable
{
    private readonly FleetApp _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task ReconcilingTheFleetWritesAChunkOfHeadsetsAtATimeQueuedBehindPeople()
    {
        var biomed = await _app.ClientAs("biomed");
        for (var i = 0; i < 2 * HeadsetReconciler.ChunkSize; i++)
            await biomed.Post("/api/v1/headsets", new RegisterHeadsetRequest($"SN-CHUNK-{i}", $"VR-CHUNK-{i}", "quest-3", "paediatrics"));
        int fleet;
        await using (var count = _app.Services.CreateAsyncScope())
            fleet = await count.ServiceProvider.GetRequiredService<Fleet.Api.Infrastructure.Data.FleetDb>().Headsets.CountAsync();

        using var writes = new ReconcilerWrites();
        await using var blockerScope = _app.Services.CreateAsyncScope();
        await using var jobScope = _app.Services.CreateAsyncScope();
        await using var personScope = _app.Services.CreateAsyncScope();
        // Another background write holds the lock; the whole-fleet reconcile queues behind it, then a person does.
        var blocker = await blockerScope.ServiceProvider.GetRequiredService<Writes>().BeginBackgroundAsync(CancellationToken.None);
        var reconciling = writes.Run(() => jobScope.ServiceProvider.GetRequiredService<HeadsetReconciler>()
            .RunAsync(jobScope.ServiceProvider.GetServices<HeadsetJob>().ToList(), headsetIds: null, CancellationToken.None));
        var personQueued = personScope.ServiceProvider.GetRequiredService<Writes>().BeginAsync(CancellationToken.None);
        await blocker.DisposeAsync();

        // The person goes first, before any of the reconcile's writes.
        var person = await personQueued.WaitAsync(TimeSpan.FromSeconds(10));
        writes.Held.ShouldBeEmpty();
        await person.DisposeAsync();

        await reconciling.WaitAsync(TimeSpan.FromSeconds(30));
        writes.Held.ShouldBe(Enumerable.Repeat("background", (fleet + HeadsetReconciler.ChunkSize - 1) / HeadsetReconciler.ChunkSize));
    }

    /// <summary>The write lock holds (by priority) of one flow: the reconcile's, not the app's other background writers'.</summary>
    private sealed class ReconcilerWrites : IDisposable
    {
        private static readonly AsyncLocal<bool> Mine = new();
        private readonly MeterListener _listener = new();
        private readonly List<string> _held = [];

        public ReconcilerWrites()
        {
            _listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == FleetMetrics.MeterName && instrument.Name == "fleet.writes.lock.held") l.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<double>((_, _, tags, _) =>
            {
                if (!Mine.Value) return;
                foreach (var tag in tags)
                    if (tag.Key == "priority") lock (_held) _held.Add((string)tag.Value!);
            });
            _listener.Start();
        }

        public List<string> Held
        {
            get { lock (_held) return [.. _held]; }
        }

        public Task Run(Func<Task> work) => Task.Run(() =>
        {
            Mine.Value = true;
            return work();
        });

        public void Dispose() => _listener.Dispose();
    }
}
