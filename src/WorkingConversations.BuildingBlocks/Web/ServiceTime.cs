using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace WorkingConversations.BuildingBlocks.Web;

/// <summary>
/// Times as people read and type them on the pages: in the service's time zone (<c>Web:TimeZone</c>, Europe/London by
/// default), dates as "1 December 2026" and times as "2:30pm" (the NHS.UK content style). Stored times stay UTC.
/// </summary>
public sealed class ServiceTime
{
    public const string DefaultZone = "Europe/London";
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-GB");
    private readonly TimeProvider _clock;

    public ServiceTime(TimeProvider clock, IConfiguration configuration)
    {
        _clock = clock;
        var zone = configuration["Web:TimeZone"];
        Zone = TimeZoneInfo.FindSystemTimeZoneById(string.IsNullOrWhiteSpace(zone) ? DefaultZone : zone);
    }

    public TimeZoneInfo Zone { get; }

    public DateTimeOffset Now => _clock.GetUtcNow();

    /// <summary>Today's date where the service is.</summary>
    public DateOnly Today => DateOnly.FromDateTime(Local(Now).DateTime);

    public DateTimeOffset Local(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, Zone);

    /// <summary>"1 December 2026".</summary>
    public string Date(DateTimeOffset at) => Local(at).ToString("d MMMM yyyy", English);

    public static string Date(DateOnly date) => date.ToString("d MMMM yyyy", English);

    /// <summary>"1 December 2026 at 2:30pm".</summary>
    public string DateAndTime(DateTimeOffset at) => $"{Date(at)} at {Time(at)}";

    /// <summary>"2:30pm", "10am".</summary>
    public string Time(DateTimeOffset at)
    {
        var local = Local(at);
        var format = local.Minute == 0 ? "htt" : "h:mmtt";
        return local.ToString(format, English).ToLowerInvariant();
    }

    /// <summary>The moment a local date and time name in the service's zone (a time in the autumn's repeated hour takes the first).</summary>
    public DateTimeOffset At(DateOnly date, TimeOnly time)
    {
        var local = date.ToDateTime(time, DateTimeKind.Unspecified);
        var offset = Zone.IsAmbiguousTime(local) ? Zone.GetAmbiguousTimeOffsets(local).Max() : Zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset);
    }

    /// <summary>The first moment of a local date, for "as it stood on" a date: the end of that day is the start of the next.</summary>
    public DateTimeOffset EndOf(DateOnly date) => At(date.AddDays(1), TimeOnly.MinValue);

    /// <summary>Whole days since a moment, as "today", "1 day", "12 days".</summary>
    public string Age(DateTimeOffset since)
    {
        var days = Math.Max(0, (int)Math.Floor((Now - since).TotalDays));
        return days switch { 0 => "less than a day", 1 => "1 day", _ => $"{days} days" };
    }
}
