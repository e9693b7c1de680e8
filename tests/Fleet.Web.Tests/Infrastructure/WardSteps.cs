using Fleet.Contracts.Api;

namespace Fleet.Web.Tests.Infrastructure;

/// <summary>Ward work done through the API to set a scene, as the role that does it on a ward.</summary>
public static class WardSteps
{
    public static Task<SessionView> AssignAsync(this FleetSite site, string ward, string headsetId, string patientRef) =>
        site.PostAsync<SessionView>("scheduler", "/api/v1/sessions", new AssignRequest(headsetId, patientRef, ward, 30, []));

    /// <summary>A patient is handed the headset and hands it back: it is Dirty afterwards.</summary>
    public static async Task<SessionView> UseAsync(this FleetSite site, string ward, string headsetId, string patientRef)
    {
        var session = await site.AssignAsync(ward, headsetId, patientRef);
        return await site.PostAsync<SessionView>("scheduler", $"/api/v1/sessions/{session.Id}/end", new { });
    }

    public static Task<HeadsetSummary> MarkDirtyAsync(this FleetSite site, string headsetId, string reason) =>
        site.PostAsync<HeadsetSummary>("nurse", $"/api/v1/headsets/{headsetId}/dirty", new MarkDirtyRequest(reason));

    /// <summary>The audit entries of one headset (or patient) for one action, as biomed reads them.</summary>
    public static Task<List<AuditEntryView>> AuditAsync(this FleetSite site, string entityId, string action) =>
        site.GetAsync<List<AuditEntryView>>("biomed", $"/api/v1/audit?entityId={Uri.EscapeDataString(entityId)}&action={Uri.EscapeDataString(action)}");
}
