using System.Diagnostics;

namespace Fleet.Messaging.Tests.Interoperability;

/// <summary>Clients we did not write stay on MQTT 3.1.1 and must keep working beside our MQTT 5 clients.</summary>
[Collection(SharedMosquittoCollection.Name)]
public class MosquittoClientToolsTests(SharedMosquitto fixture)
{
    private MosquittoBroker Broker => fixture.Broker;

    [Fact]
    public async Task MessagesPublishedByMosquittoPubOverMqtt311AreReceivedByAnMqttnetClient()
    {
        var topic = Mqtt.UniqueTopic("interop");
        using var subscriber = await Broker.ConnectAsync();
        var received = new MessageCollector(subscriber);
        await subscriber.SubscribeAtLeastOnceAsync(topic);

        await RunAsync("mosquitto_pub", "-V", "mqttv311", "-h", Broker.Host, "-p", $"{Broker.Port}", "-t", topic, "-q", "1", "-m", "from mosquitto_pub ✓");

        var message = (await received.NextAsync()).ApplicationMessage;
        message.ConvertPayloadToString().ShouldBe("from mosquitto_pub ✓");
        message.QualityOfServiceLevel.ShouldBe(MqttQualityOfServiceLevel.AtLeastOnce);
    }

    [Fact]
    public async Task MessagesPublishedByMqttnetAreReceivedByMosquittoSubOverMqtt311()
    {
        var topic = Mqtt.UniqueTopic("interop");
        // stdbuf: line-buffered output, so the SUBACK line of -d arrives while mosquitto_sub runs.
        var start = new ProcessStartInfo("stdbuf")
        {
            ArgumentList = { "-oL", "mosquitto_sub", "-V", "mqttv311", "-h", Broker.Host, "-p", $"{Broker.Port}", "-t", topic, "-q", "1", "-C", "1", "-v", "-d" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var mosquittoSub = Process.Start(start)!;
        try
        {
            string? line;
            while ((line = await mosquittoSub.StandardOutput.ReadLineAsync(Timeouts.Token())) is not null && !line.Contains("SUBACK"))
            {
            }

            using var publisher = await Broker.ConnectAsync();
            await publisher.PublishAtLeastOnceAsync(topic, "to mosquitto_sub ✓");

            var output = await mosquittoSub.StandardOutput.ReadToEndAsync(Timeouts.Token());
            await mosquittoSub.WaitForExitAsync(Timeouts.Token());
            output.ShouldContain($"{topic} to mosquitto_sub ✓");
            mosquittoSub.ExitCode.ShouldBe(0);
        }
        finally
        {
            if (!mosquittoSub.HasExited) mosquittoSub.Kill();
        }
    }

    private static async Task RunAsync(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(Timeouts.Token());
        process.ExitCode.ShouldBe(0, await error);
    }
}
