namespace Fleet.Api.Clinical.Ehr;

/// <summary><c>Fleet:Ehr</c>. Pushing is off while <see cref="FhirBaseUrl"/> is empty.</summary>
public sealed class EhrOptions
{
    public const string Section = "Fleet:Ehr";
    public const string HttpClientName = "ehr";

    /// <summary>The EHR's FHIR R4 base, e.g. <c>https://ehr.example/fhir</c>; resources go to <c>PUT {base}/{type}/{id}</c>.</summary>
    public string? FhirBaseUrl { get; set; }

    /// <summary>First retry delay; each next one doubles, with jitter, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(1);
    public int MaxRetryAttempts { get; set; } = 5;
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>After a resource exhausted its retries (the EHR is down), the outbox waits this long and starts again.</summary>
    public TimeSpan OutageBackoff { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A safety net only: a commit that fills the outbox wakes the sender at once.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);
    public int BatchSize { get; set; } = 50;

    /// <summary>SMART Backend Services authorisation; without it the push sends no credentials.</summary>
    public SmartOptions Smart { get; set; } = new();

    public bool Enabled => !string.IsNullOrWhiteSpace(FhirBaseUrl);
}
