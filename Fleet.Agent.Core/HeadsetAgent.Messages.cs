using System.Text;
using System.Text.Json;
using Fleet.Contracts;
using Fleet.Contracts.Mqtt;
using Microsoft.Extensions.Logging;

namespace Fleet.Agent.Core;

public sealed partial class HeadsetAgent
{
    /// <summary>Handles one message from the broker: the retained state, a command or a commit confirmation. Bad input is logged and dropped.</summary>
    internal async Task ReceiveAsync(string topic, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        try
        {
            if (topic == _topics.State(HeadsetId)) ApplyState(payload);
            else if (topic == _topics.Commands(HeadsetId)) await HandleCommandAsync(payload, cancellationToken).ConfigureAwait(false);
            else if (topic == _topics.Confirmed(HeadsetId))
                _publisher.Confirmed(JsonSerializer.Deserialize<ConfirmedMessage>(payload.Span, FleetJson.Options) ?? throw new JsonException("The confirmation is null."));
        }
        catch (Exception e) when (e is JsonException or ArgumentException or FormatException or NotSupportedException)
        {
            _log.LogWarning("{Headset}: ignored a malformed message on {Topic}: {Error} ({Payload})", HeadsetId, topic, e.Message,
                Encoding.UTF8.GetString(payload.Span[..Math.Min(payload.Length, 200)]));
        }
        catch (ObjectDisposedException)
        {
            // Stopping.
        }
    }

    private void ApplyState(ReadOnlyMemory<byte> payload)
    {
        var state = JsonSerializer.Deserialize<StateMessage>(payload.Span, FleetJson.Options)
            ?? throw new JsonException("The state is null.");
        lock (_sync)
        {
            // A retained copy re-delivered after a newer live one must not win.
            if (_state is { } current && state.At < current.At) return;
            _state = state;
        }
        _outbox.SetSetting(StateSetting, Encoding.UTF8.GetString(payload.Span));
        PublishShown(force: true);
    }

    private async Task HandleCommandAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var command = JsonSerializer.Deserialize<CommandMessage>(payload.Span, FleetJson.Options)
            ?? throw new JsonException("The command is null.");
        if (command.Id == Guid.Empty || string.IsNullOrEmpty(command.Command)) throw new JsonException("A command needs an id and a name.");
        if (_outbox.WasCommandHandled(command.Id))
        {
            _log.LogDebug("{Headset}: command {Id} was delivered again; already answered", HeadsetId, command.Id);
            return;
        }

        var now = _time.GetUtcNow();
        bool ok;
        string detail;
        bool? locked = null;
        if (command.ExpiresAt <= now)
        {
            (ok, detail) = (false, $"expired at {command.ExpiresAt:O}; dropped without running it");
        }
        else
        {
            switch (command.Command)
            {
                case Commands.Identify:
                    var done = _probes.Indicator is { } indicator ? await indicator.IdentifyAsync(cancellationToken).ConfigureAwait(false) : "logged only (no indicator on this host)";
                    _log.LogWarning("{Headset}: IDENTIFY — Fleet asks for this headset ({Done})", HeadsetId, done);
                    (ok, detail) = (true, done);
                    break;
                case Commands.Lock:
                    (ok, detail, locked) = (true, "locked: it shows DO NOT USE until unlocked", true);
                    break;
                case Commands.Unlock:
                    (ok, detail, locked) = (true, "unlocked: it shows Fleet's state again", false);
                    break;
                case Commands.Sync:
                    var sent = await SendDeviceReportAsync(cancellationToken).ConfigureAwait(false);
                    (ok, detail) = (true, $"sent {sent}; {_outbox.Counts.Depth} events were waiting to be published");
                    break;
                default:
                    (ok, detail) = (false, $"unknown command '{command.Command}'");
                    break;
            }
        }

        var settings = locked is { } l ? new Dictionary<string, string> { [LockedSetting] = l ? "true" : "false" } : null;
        // The answer, the "handled" mark and the lock flag are one transaction: a crash before it means redelivery and a redo.
        if (_outbox.AppendCommandResult(new CommandResultData(command.Id, ok, detail), _time.GetUtcNow(), settings) is null) return;
        _publisher.Wake();
        _log.LogInformation("{Headset}: command {Command} {Id}: {Result} — {Detail}", HeadsetId, command.Command, command.Id, ok ? "done" : "not run", detail);
        if (locked is { } value)
        {
            lock (_sync) _locked = value;
            PublishShown(force: true);
        }
    }
}
