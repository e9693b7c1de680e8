using System.Runtime.InteropServices;
using Microsoft.AspNetCore.HttpLogging;

namespace Fleet.Api.Infrastructure.Hardening;

/// <summary>
/// Patient data at rest and in logs: every file and directory this process creates (the database and its WAL, the
/// data-protection keys, anything else in the data directory) is owner-only, and requests are logged by path, never
/// with their query strings (where <c>patientRef</c> and FHIR's <c>patient</c> travel).
/// </summary>
public static partial class DataAtRest
{
    /// <summary>Call first thing: umask 077 makes files 0600 and directories 0700 whatever code creates them.</summary>
    public static void CreateFilesOwnerOnly()
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()) _ = umask(Convert.ToUInt32("077", 8));
    }

    public static WebApplicationBuilder LogRequestsWithoutQueries(this WebApplicationBuilder builder)
    {
        // Hosting's own "Request starting GET /path?query" lines carry the query: keep them at Warning and log requests
        // through HTTP logging with the path, status and duration only.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore.Routing.EndpointMiddleware", LogLevel.Warning);
        builder.Services.AddHttpLogging(o => o.LoggingFields =
            HttpLoggingFields.RequestMethod | HttpLoggingFields.RequestPath | HttpLoggingFields.ResponseStatusCode | HttpLoggingFields.Duration);
        return builder;
    }

    [LibraryImport("libc", EntryPoint = "umask")]
    private static partial uint umask(uint mask);
}
