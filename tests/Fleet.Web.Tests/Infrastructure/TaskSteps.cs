using System.Globalization;
using System.Net.Http.Json;
using Fleet.Contracts;
using Fleet.Contracts.Api;

namespace Fleet.Web.Tests.Infrastructure;

/// <summary>Wards with scheduled tasks, set up through the API as the roles that do it.</summary>
public static class TaskSteps
{
    /// <summary>
    /// A ward of its own on <paramref name="zone"/>'s clock whose deep clean was due three hours ago (overdue for an hour
    /// now) and whose headsets are due for cleaning two hours after they need it; then <paramref name="count"/> Dirty headsets.
    /// </summary>
    public static async Task<(string Ward, string Name, List<string> Headsets)> NewWardWithTasksAsync(this FleetSite site, int count, string zone)
    {
        var ward = $"tasks-{Guid.NewGuid():N}"[..16];
        var name = $"Tasks ward {ward[6..]}";
        await site.PostAsync<WardView>("admin", "/api/v1/wards", new WardRequest(ward, name, zone));
        var deepCleanAt = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow.AddHours(-3), TimeZoneInfo.FindSystemTimeZoneById(zone));
        using (var infection = await site.ApiAsAsync("infection"))
        {
            var policy = new WardPolicyRequest(240, 120, deepCleanAt.ToString("HH:mm", CultureInfo.InvariantCulture), 4, 10, 15, false);
            using var response = await infection.PutAsJsonAsync($"/api/v1/wards/{ward}/policy", policy, FleetJson.Options);
            response.EnsureSuccessStatusCode();
        }
        var headsets = new List<string>();
        for (var i = 0; i < count; i++)
            headsets.Add((await site.PostAsync<IdResponse>("biomed", "/api/v1/headsets", new RegisterHeadsetRequest($"SN-{ward}-{i}", $"VR-{ward[6..]}-{i}", "pico-4e", ward))).Id);
        return (ward, name, headsets);
    }

    public static Task<List<TaskView>> OpenTasksAsync(this FleetSite site, string ward) =>
        site.GetAsync<List<TaskView>>("nurse", $"/api/v1/tasks?ward={Uri.EscapeDataString(ward)}");

    /// <summary>
    /// The ward's open task of this kind, waiting for it: the API's jobs open a deep clean at their next run (every
    /// minute), a cleaning-due task moments after the headset's change.
    /// </summary>
    public static async Task<TaskView> WaitForTaskAsync(this FleetSite site, string ward, string kind, string? headsetId = null)
    {
        var until = DateTimeOffset.UtcNow.AddSeconds(100);
        while (true)
        {
            var found = (await site.OpenTasksAsync(ward)).FirstOrDefault(t => t.Kind == kind && (headsetId is null || t.HeadsetId == headsetId));
            if (found is not null) return found;
            if (DateTimeOffset.UtcNow > until) throw new TimeoutException($"No open {kind} task for {ward} {headsetId} after 100 s.\n{site.Logs}");
            await Task.Delay(500);
        }
    }
}
