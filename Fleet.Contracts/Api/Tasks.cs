namespace Fleet.Contracts.Api;

/// <summary>Completes a task that no stored action resolves by itself (the daily deep clean), with what was done.</summary>
public sealed record CompleteTaskRequest(string? Note);
