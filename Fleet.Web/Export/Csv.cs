using System.Text;

namespace Fleet.Web.Export;

/// <summary>
/// CSV as RFC 4180 writes it (CRLF line ends; a field with a comma, quote or line break quoted, quotes doubled), and safe
/// to open in a spreadsheet: a cell that would start with = + - @ (or a tab or carriage return) is prefixed with ' so it
/// is read as text, never as a formula (OWASP "CSV injection"). Patient references and notes are typed by people.
/// </summary>
public static class Csv
{
    private static readonly char[] FormulaStarts = ['=', '+', '-', '@', '\t', '\r'];
    private static readonly char[] NeedsQuotes = [',', '"', '\r', '\n'];

    public static string Write(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string?>> rows)
    {
        var sb = new StringBuilder();
        Line(sb, header);
        foreach (var row in rows) Line(sb, row);
        return sb.ToString();
    }

    public static string Cell(string? value)
    {
        var s = value ?? "";
        if (s.Length > 0 && Array.IndexOf(FormulaStarts, s[0]) >= 0) s = "'" + s;
        return s.IndexOfAny(NeedsQuotes) < 0 ? s : "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>
    /// The file as a link's address, so the download carries exactly what the page shows and nothing identifying a
    /// patient ever goes into a URL the server logs. The byte-order mark tells spreadsheets it is UTF-8.
    /// </summary>
    public static string DataUri(string csv) => "data:text/csv;charset=utf-8," + Uri.EscapeDataString("\uFEFF" + csv);

    private static void Line(StringBuilder sb, IReadOnlyList<string?> cells)
    {
        for (var i = 0; i < cells.Count; i++)
        {
            if (i > 0) sb.Append(',');
            sb.Append(Cell(cells[i]));
        }
        sb.Append("\r\n");
    }
}
