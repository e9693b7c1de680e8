using System.Net;
using System.Text.Json;
using Fleet.Api.Tests.Support;
using Shouldly;

namespace Fleet.Api.Tests.Infrastructure.Health;

public sealed class HealthTests
{
    [Fact]
    public async Task ReadinessCoversTheDatabaseTheBrokerAndTheScheduler()
    {
        await using var broker = await BrokerApp.StartBrokerAsync();
        await using var b = await BrokerApp.OnBrokerAsync(broker, new FleetApp().WithSetting("Fleet:Jobs:Enabled", "true"));
        using var anonymous = b.App.CreateClient();

        var ready = await ReadAsync(await anonymous.GetAsync("/health/ready"), HttpStatusCode.OK);
        var checks = ready.GetProperty("checks");
        checks.GetProperty("database").GetProperty("status").GetString().ShouldBe("Healthy");
        checks.GetProperty("broker").GetProperty("status").GetString().ShouldBe("Healthy");
        checks.GetProperty("scheduler").GetProperty("status").GetString().ShouldBe("Healthy");
        checks.GetProperty("scheduler").GetProperty("description").GetString().ShouldBe("The scheduler runs the cleaning cycles.");
    }

    [Fact]
    public async Task ABrokerThatIsDownIsNamedButItsAddressIsShownOnlyToBiomedAndAdmin()
    {
        await using var b = await BrokerApp.StartAsync();
        await b.Broker.StopAsync();
        using var anonymous = b.App.CreateClient();
        var port = b.Broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        HttpResponseMessage answer = null!;
        await Eventually.Async(async () => (answer = await anonymous.GetAsync("/health/ready")).StatusCode == HttpStatusCode.ServiceUnavailable,
            "readiness to notice the broker is gone");
        var text = await answer.Content.ReadAsStringAsync();
        var broker = JsonDocument.Parse(text).RootElement.GetProperty("checks").GetProperty("broker");
        broker.GetProperty("status").GetString().ShouldBe("Unhealthy");
        broker.GetProperty("description").GetString()!.ShouldContain("Not connected to the broker");
        text.ShouldNotContain(port);
        text.ShouldNotContain("127.0.0.1");

        var biomed = await b.App.ClientAs("biomed");
        var staff = await (await biomed.GetAsync("/health/ready")).Content.ReadAsStringAsync();
        JsonDocument.Parse(staff).RootElement.GetProperty("checks").GetProperty("broker").GetProperty("error").GetString()!.ShouldContain(port);
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage r, HttpStatusCode status)
    {
        var text = await r.Content.ReadAsStringAsync();
        r.StatusCode.ShouldBe(status, text);
        return JsonDocument.Parse(text).RootElement;
    }
}
