using Fleet.Mqtt.Formatter;
using Shouldly;
using Xunit;

namespace Fleet.Mqtt.Tests.Formatter;

public class TopicRulesTests
{
    [Theory]
    [InlineData("a", true)]
    [InlineData("/", true)]
    [InlineData("a//b", true)]
    [InlineData("$SYS/broker", true)]
    [InlineData("", false)]
    [InlineData("a/+", false)]
    [InlineData("a/#", false)]
    [InlineData("a\0", false)]
    public void TopicNamesFollowSection47(string topic, bool valid) => MqttTopic.IsValidTopicName(topic).ShouldBe(valid);

    [Theory]
    [InlineData("#", true)]
    [InlineData("+", true)]
    [InlineData("a/+/c", true)]
    [InlineData("+/+", true)]
    [InlineData("a/#", true)]
    [InlineData("/+", true)]
    [InlineData("$share/group/a/#", true)]
    [InlineData("$share/group/+", true)]
    [InlineData("", false)]
    [InlineData("a#", false)]
    [InlineData("a/#/b", false)]
    [InlineData("a+", false)]
    [InlineData("a/b+/c", false)]
    [InlineData("$share/", false)]
    [InlineData("$share/group", false)]
    [InlineData("$share/group/", false)]
    [InlineData("$share//a", false)]
    [InlineData("$share/gr+oup/a", false)]
    [InlineData("$share/group/a#", false)]
    public void TopicFiltersFollowSection47(string filter, bool valid) => MqttTopic.IsValidTopicFilter(filter).ShouldBe(valid);
}
