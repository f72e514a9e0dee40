using OpenGov.Shared;

namespace OpenGov.Tests.Shared;

public class JapanTimeTests
{
    [Fact]
    public void A_utc_time_late_in_the_evening_is_already_the_next_day_in_japan()
    {
        var utc = new DateTime(2021, 3, 31, 15, 30, 0, DateTimeKind.Utc);

        Assert.Equal(new DateOnly(2021, 4, 1), JapanTime.Day(utc));
        Assert.Equal("2021-04-01T00:30:00+09:00", JapanTime.Iso(utc));
    }

    [Fact]
    public void An_unspecified_stored_time_is_read_as_utc_whatever_the_servers_zone()
    {
        var stored = new DateTime(2020, 11, 19, 6, 0, 0, DateTimeKind.Unspecified);

        Assert.Equal(new DateTimeOffset(2020, 11, 19, 15, 0, 0, TimeSpan.FromHours(9)), JapanTime.From(stored));
    }

    [Fact]
    public void A_japanese_day_starts_at_fifteen_hundred_utc_the_day_before()
    {
        var start = JapanTime.StartUtc(new DateOnly(2021, 4, 1));

        Assert.Equal(new DateTime(2021, 3, 31, 15, 0, 0, DateTimeKind.Utc), start);
        Assert.Equal(DateTimeKind.Utc, start.Kind);
        Assert.Equal(new DateOnly(2021, 4, 1), JapanTime.Day(start));
        Assert.Equal(new DateOnly(2021, 3, 31), JapanTime.Day(start.AddTicks(-1)));
    }
}
