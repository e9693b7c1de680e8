using System.Runtime.InteropServices;

namespace Fleet.Api.Ingestion;

/// <summary>
/// The few SQLite calls the ingest hot path makes per value, imported straight from the same e_sqlite3 library that
/// Microsoft.Data.Sqlite loads, on raw handles. Through SQLitePCL each bind paid for a SafeHandle add-ref/release and a
/// full GC transition (measured: about a tenth of the API's CPU while draining a backlog). The binds, reset and
/// clear-bindings only copy values into the statement and never block or call back, which is what
/// <see cref="SuppressGCTransitionAttribute"/> requires; <c>sqlite3_step</c> may do I/O and keeps the normal transition.
/// The caller keeps the owning SafeHandles alive while it uses these.
/// </summary>
internal static unsafe class SqliteNative
{
    private const string Library = "e_sqlite3";

    /// <summary>SQLITE_TRANSIENT: SQLite copies the value before the call returns, so stack buffers are fine.</summary>
    public static readonly nint Transient = -1;

    [DllImport(Library, ExactSpelling = true), SuppressGCTransition]
    public static extern int sqlite3_bind_text(nint stmt, int index, byte* utf8, int bytes, nint destructor);

    [DllImport(Library, ExactSpelling = true), SuppressGCTransition]
    public static extern int sqlite3_bind_int64(nint stmt, int index, long value);

    [DllImport(Library, ExactSpelling = true), SuppressGCTransition]
    public static extern int sqlite3_bind_double(nint stmt, int index, double value);

    [DllImport(Library, ExactSpelling = true), SuppressGCTransition]
    public static extern int sqlite3_bind_null(nint stmt, int index);

    [DllImport(Library, ExactSpelling = true), SuppressGCTransition]
    public static extern int sqlite3_reset(nint stmt);

    [DllImport(Library, ExactSpelling = true), SuppressGCTransition]
    public static extern int sqlite3_clear_bindings(nint stmt);

    [DllImport(Library, ExactSpelling = true), SuppressGCTransition]
    public static extern int sqlite3_changes(nint db);

    [DllImport(Library, ExactSpelling = true)]
    public static extern int sqlite3_step(nint stmt);
}
