using Fleet.Domain.Input;
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

    /// <summary>A one-line value (a name, a reference): no control characters at all.</summary>
    public string Required(string field, string? value, int maxLength = 200) => RequiredCore(field, value, maxLength, freeText: false);

    /// <summary>A note or reason someone typed: tabs and line breaks allowed, other control characters not.</summary>
    public string RequiredText(string field, string? value, int maxLength = 2000) => RequiredCore(field, value, maxLength, freeText: true);

    private string RequiredCore(string field, string? value, int maxLength, bool freeText)
    {
        if (string.IsNullOrWhiteSpace(value)) Add(field, "is required.");
        else if (value.Length > maxLength) Add(field, $"must be at most {maxLength} characters.");
        else if (TextRules.Problem(value, freeText) is { } problem) Add(field, problem);
        return value?.Trim() ?? "";
    }

    /// <summary>An optional note: free text.</summary>
    public string? Optional(string field, string? value, int maxLength = 2000)
    {
        if (value is null) return null;
        if (value.Length > maxLength) Add(field, $"must be at most {maxLength} characters.");
        else if (TextRules.Problem(value, freeText: true) is { } problem) Add(field, problem);
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

    /// <summary>A body may repeat the id its address names, but not name another one (ids are never renamed).</summary>
    public void SameId(string? bodyId, string pathId)
    {
        if (bodyId is not null && bodyId != pathId) Add("id", $"is '{bodyId}' but the address names '{pathId}'; an id cannot be changed.");
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
