namespace Fleet.Mqtt.Formatter;

/// <summary>Topic name and topic filter rules (4.7), including shared subscriptions <c>$share/group/filter</c>.</summary>
internal static class MqttTopic
{
    private const string SharePrefix = "$share/";

    public static bool IsValidTopicName(ReadOnlySpan<char> topic) =>
        !topic.IsEmpty && topic.IndexOfAny('+', '#', '\0') < 0;

    public static bool IsValidTopicFilter(ReadOnlySpan<char> filter)
    {
        if (filter.IsEmpty || filter.Contains('\0'))
        {
            return false;
        }

        if (filter.StartsWith(SharePrefix, StringComparison.Ordinal))
        {
            var rest = filter[SharePrefix.Length..];
            var slash = rest.IndexOf('/');
            if (slash <= 0 || rest[..slash].IndexOfAny('+', '#') >= 0)
            {
                return false;
            }

            filter = rest[(slash + 1)..];
            if (filter.IsEmpty)
            {
                return false;
            }
        }

        while (true)
        {
            var slash = filter.IndexOf('/');
            var level = slash < 0 ? filter : filter[..slash];
            var isLast = slash < 0;
            if (level.Contains('#') && (level.Length != 1 || !isLast))
            {
                return false;
            }

            if (level.Contains('+') && level.Length != 1)
            {
                return false;
            }

            if (isLast)
            {
                return true;
            }

            filter = filter[(slash + 1)..];
        }
    }
}
