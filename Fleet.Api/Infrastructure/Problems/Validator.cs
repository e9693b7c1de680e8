using Microsoft.AspNetCore.Http.HttpResults;

namespace Fleet.Api.Infrastructure.Problems;

/// <summary>Collects field errors; every check names the field so the client can point at it.</summary>
public sealed class Validator
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Failed => _errors.Count > 0;

    public Validator Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(message);
        return this;
    }

    public string Required(string field, string? value, int maxLength = 200)
    {
        if (string.IsNullOrWhiteSpace(value)) Add(field, "is required.");
        else if (value.Length > maxLength) Add(field, $"must be at most {maxLength} characters.");
        else if (value.Any(char.IsControl)) Add(field, "must not contain control characters.");
        return value?.Trim() ?? "";
    }

    public string? Optional(string field, string? value, int maxLength = 2000)
    {
        if (value is null) return null;
        if (value.Length > maxLength) Add(field, $"must be at most {maxLength} characters.");
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    /// <summary>Identifiers: letters, digits, '-', '_', '.', ':' only (they end up in URLs, topics and FHIR references).</summary>
    public string Identifier(string field, string? value, int maxLength = 64)
    {
        var v = Required(field, value, maxLength);
        if (v.Length > 0 && !v.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':'))
            Add(field, "may contain only letters, digits, '-', '_', '.' and ':'.");
        return v;
    }

    public int Range(string field, int? value, int min, int max, int? fallback = null)
    {
        if (value is null)
        {
            if (fallback is { } f) return f;
            Add(field, "is required.");
            return min;
        }
        if (value < min || value > max) Add(field, $"must be between {min} and {max}.");
        return value.Value;
    }

    public ProblemHttpResult Problem() =>
        Problems.Validation(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
}
