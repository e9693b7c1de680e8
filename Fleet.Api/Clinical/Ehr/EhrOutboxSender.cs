using System.Net;
using Fleet.Api.Clinical.Fhir;
using Fleet.Api.Infrastructure.Data;
using Fleet.Api.Infrastructure.Writes;
using Fleet.Api.Operations;
using Fleet.Contracts.Api;
using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Fleet.Api.Clinical.Ehr;

/// <summary>
/// Sends the outbox to the EHR in order, each row as idempotent PUTs (its Device, then the resource), so sending a row
/// twice after a crash is harmless. A row is marked sent only after 2xx answers; while the EHR is down rows stay pending,
/// in the database, across restarts, and the sender tries again after <see cref="EhrOptions.OutageBackoff"/>.
/// </summary>
internal sealed class EhrOutboxSender(
    IServiceScopeFactory scopes, IHttpClientFactory clients, IOptions<EhrOptions> options, EhrOutboxSignal signal,
    TimeProvider time, ILogger<EhrOutboxSender> log) : BackgroundService
{
    private readonly EhrOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        var pipeline = BuildPipeline();
        while (!stop.IsCancellationRequested)
        {
            var drained = false;
            try
            {
                drained = await SendPendingAsync(pipeline, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                log.LogError(e, "EHR outbox: sending failed; the rows stay pending.");
            }
            try
            {
                await signal.WaitAsync(drained ? _options.PollInterval : _options.OutageBackoff, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>True when everything pending was dealt with; false when the EHR could not be reached.</summary>
    private async Task<bool> SendPendingAsync(ResiliencePipeline<HttpResponseMessage> pipeline, CancellationToken stop)
    {
        while (true)
        {
            List<long> ids;
            await using (var scope = scopes.CreateAsyncScope())
            {
                ids = await scope.ServiceProvider.GetRequiredService<FleetDb>().Set<EhrOutboxItem>()
                    .Where(o => o.Status == EhrDelivery.Pending).OrderBy(o => o.Id).Select(o => o.Id)
                    .Take(_options.BatchSize).ToListAsync(stop);
            }
            if (ids.Count == 0) return true;
            foreach (var id in ids)
            {
                if (!await SendAsync(id, pipeline, stop)) return false;
            }
        }
    }

    private async Task<bool> SendAsync(long id, ResiliencePipeline<HttpResponseMessage> pipeline, CancellationToken stop)
    {
        await using var scope = scopes.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var row = await sp.GetRequiredService<FleetDb>().Set<EhrOutboxItem>().AsNoTracking().FirstAsync(o => o.Id == id, stop);
        var resources = sp.GetRequiredService<FhirResources>();
        var resource = await resources.ReadAsync(row.ResourceType, row.ResourceId, stop);
        var device = await resources.DeviceAsync(row.HeadsetId, stop);

        Result result;
        if (resource is null || device is null)
        {
            result = new(EhrDelivery.Skipped, "Maps to no FHIR resource (no patient to attribute it to, or no such record).");
        }
        else
        {
            result = await PutAsync(device, pipeline, stop);
            if (result.Status == EhrDelivery.Sent) result = await PutAsync(resource, pipeline, stop);
        }
        await RecordAsync(sp, id, result, stop);
        return result.Status != EhrDelivery.Pending;
    }

    /// <param name="Refused">The EHR refused Fleet's credentials: the row waits, and biomed is told (see <see cref="AlertAsync"/>).</param>
    private sealed record Result(EhrDelivery Status, string? Error, bool Refused = false);

    private async Task<Result> PutAsync(Resource resource, ResiliencePipeline<HttpResponseMessage> pipeline, CancellationToken stop)
    {
        var url = $"{_options.FhirBaseUrl!.TrimEnd('/')}/{resource.TypeName}/{resource.Id}";
        var body = FhirSerializer.ToBytes(resource);
        var client = clients.CreateClient(EhrOptions.HttpClientName);
        try
        {
            using var response = await pipeline.ExecuteAsync(async ct =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new(FhirTypes.ContentType) { CharSet = "utf-8" };
                request.Headers.Accept.ParseAdd(FhirTypes.ContentType);
                return await client.SendAsync(request, ct);
            }, stop);
            if (response.IsSuccessStatusCode) return new(EhrDelivery.Sent, null);
            var answer = $"PUT {url} answered {(int)response.StatusCode} {response.ReasonPhrase}: {await ReadSomeAsync(response, stop)}";
            // Not the resource's fault: the EHR does not accept Fleet's credentials (even a fresh token). Wait, never park.
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden) return new(EhrDelivery.Pending, answer, Refused: true);
            return Transient(response) ? new(EhrDelivery.Pending, answer) : new(EhrDelivery.Rejected, answer);
        }
        catch (SmartAuthorizationException e)
        {
            return new(EhrDelivery.Pending, e.Message, Refused: true);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException)
        {
            return new(EhrDelivery.Pending, $"PUT {url} failed: {e.Message}");
        }
    }

    private async Task RecordAsync(IServiceProvider sp, long id, Result result, CancellationToken stop)
    {
        await using var write = await sp.GetRequiredService<Writes>().BeginAsync(stop);
        var row = await sp.GetRequiredService<FleetDb>().Set<EhrOutboxItem>().FirstAsync(o => o.Id == id, stop);
        var now = time.GetUtcNow();
        row.Attempts++;
        row.LastAttemptAt = now;
        row.Status = result.Status;
        row.LastError = result.Error is { Length: > 2000 } e ? e[..2000] : result.Error;
        if (result.Status == EhrDelivery.Sent) row.SentAt = now;
        await AlertAsync(sp, row, result, now, stop);
        await write.CommitAsync(stop);
        if (result.Status != EhrDelivery.Sent) log.LogWarning("EHR outbox row {Id} ({Type}/{ResourceId}): {Status}. {Error}", id, row.ResourceType, row.ResourceId, result.Status, result.Error);
    }

    /// <summary>
    /// One open alert while the EHR refuses Fleet's credentials, on the headset whose record waits first (alerts belong
    /// to a headset); closed by the first delivery after. Biomed sees it with the other alerts.
    /// </summary>
    private static async Task AlertAsync(IServiceProvider sp, EhrOutboxItem row, Result result, DateTimeOffset now, CancellationToken ct)
    {
        if (result.Status is not (EhrDelivery.Sent or EhrDelivery.Pending)) return;
        var db = sp.GetRequiredService<FleetDb>();
        var open = await db.Set<Alert>().FirstOrDefaultAsync(a => a.Kind == AlertKinds.EhrAuthorization && a.ClosedAt == null, ct);
        var ledger = sp.GetRequiredService<Ledger>();
        if (result.Refused && open is null)
        {
            var message = $"EHR push waiting: {result.Error}";
            ledger.OpenAlert(AlertKinds.EhrAuthorization, row.HeadsetId, AlertSeverities.Critical,
                message.Length > 500 ? message[..497] + "..." : message, now, Actor);
        }
        else if (result.Status == EhrDelivery.Sent && open is not null)
        {
            ledger.CloseAlert(open, "The EHR accepted Fleet's credentials again; the waiting records are being sent.", now, Actor);
        }
    }

    private static readonly string Actor = Infrastructure.Auth.Actor.System("ehr-push");

    private static bool Transient(HttpResponseMessage r) =>
        (int)r.StatusCode >= 500 || r.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;

    private static async Task<string> ReadSomeAsync(HttpResponseMessage r, CancellationToken ct)
    {
        var text = await r.Content.ReadAsStringAsync(ct);
        return text.Length > 500 ? text[..500] : text;
    }

    /// <summary>
    /// Exponential backoff with jitter, capped, around a per-attempt timeout. Waits are wall-clock time (an outage is
    /// real time), not the application's clock, which tests move by hand.
    /// </summary>
    private ResiliencePipeline<HttpResponseMessage> BuildPipeline() => new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = TimeProvider.System }
        .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
        {
            ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                .Handle<HttpRequestException>().Handle<TimeoutRejectedException>().HandleResult(Transient),
            MaxRetryAttempts = _options.MaxRetryAttempts,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = _options.RetryDelay,
            MaxDelay = _options.MaxRetryDelay,
            OnRetry = args =>
            {
                args.Outcome.Result?.Dispose();
                log.LogInformation("EHR push: attempt {Attempt} failed ({Why}); retrying in {Delay}.", args.AttemptNumber + 1,
                    args.Outcome.Exception?.Message ?? ((int?)args.Outcome.Result?.StatusCode)?.ToString(), args.RetryDelay);
                return ValueTask.CompletedTask;
            },
        })
        .AddTimeout(_options.AttemptTimeout)
        .Build();
}
