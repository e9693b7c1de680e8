using Fleet.Mqtt.Client;
using Fleet.Testing.Broker;
using Shouldly;
using Xunit;

namespace Fleet.Mqtt.Tests.Integration;

/// <summary>A broker with a password file made with mosquitto_passwd, and no anonymous access.</summary>
public sealed class AuthenticatedMosquittoFixture : IAsyncLifetime
{
    public MosquittoBroker Broker { get; private set; } = null!;

    public async Task InitializeAsync() => Broker = await MosquittoBroker.StartNewAsync(new MosquittoBrokerOptions
    {
        AllowAnonymous = false,
        Users = new Dictionary<string, string> { ["alice"] = "correct horse", ["bob"] = "battery staple" },
    });

    public async Task DisposeAsync() => await Broker.DisposeAsync();
}

public class AuthenticationTests(AuthenticatedMosquittoFixture fixture) : IClassFixture<AuthenticatedMosquittoFixture>
{
    private MosquittoBroker Broker => fixture.Broker;

    [Fact]
    public async Task ConnectWithValidCredentialsSucceeds()
    {
        await using var client = new MqttClient();
        var result = await client.ConnectAsync(Broker.ClientOptions().WithCredentials("alice", "correct horse").Build());

        result.ResultCode.ShouldBe(MqttClientConnectResultCode.Success);
        client.IsConnected.ShouldBeTrue();
    }

    [Fact]
    public async Task ConnectWithWrongPasswordIsRefusedAsNotAuthorized()
    {
        await using var client = new MqttClient();

        var exception = await Should.ThrowAsync<MqttConnectingFailedException>(() =>
            client.ConnectAsync(Broker.ClientOptions().WithCredentials("alice", "wrong").Build()));

        exception.ResultCode.ShouldBe(MqttClientConnectResultCode.NotAuthorized);
        client.IsConnected.ShouldBeFalse();
    }

    [Fact]
    public async Task AnonymousConnectionIsRefused()
    {
        await using var client = new MqttClient();

        var exception = await Should.ThrowAsync<MqttConnectingFailedException>(() => client.ConnectAsync(Broker.ClientOptions().Build()));

        exception.ResultCode.ShouldBe(MqttClientConnectResultCode.NotAuthorized);
    }

    [Fact]
    public async Task SubscriptionDeniedByTheBrokerIsReportedPerFilter()
    {
        // Mosquitto's acl_file does not refuse subscriptions; its dynamic-security plugin answers 0x80.
        await using var broker = await MosquittoBroker.StartNewAsync(new MosquittoBrokerOptions { DynamicSecurityAdmin = ("admin", "admin-pw") });
        await broker.DynamicSecurityAsync("createClient", "carol", "-p", "pw");
        await broker.DynamicSecurityAsync("createRole", "telemetry-reader");
        await broker.DynamicSecurityAsync("addRoleACL", "telemetry-reader", "subscribePattern", "allowed/#", "allow");
        await broker.DynamicSecurityAsync("addClientRole", "carol", "telemetry-reader");
        await using var client = new MqttClient();
        await client.ConnectAsync(broker.ClientOptions().WithCredentials("carol", "pw").Build());

        var result = await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter("allowed/telemetry/#", MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter("forbidden/#", MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());

        result.Items[0].ResultCode.ShouldBe(MqttClientSubscribeResultCode.GrantedQoS1);
        result.Items[1].ResultCode.ShouldBe(MqttClientSubscribeResultCode.UnspecifiedError);
        result.Items[1].TopicFilter.Topic.ShouldBe("forbidden/#");
        client.IsConnected.ShouldBeTrue();
    }
}
