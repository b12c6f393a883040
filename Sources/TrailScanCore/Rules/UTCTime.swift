// Times as CloudTrail writes them, parsed on bytes without Foundation, and
// printed back: whole Unix seconds, UTC. Calendar arithmetic: days-from-civil
// and civil-from-days (Howard Hinnant's "chrono-compatible low-level date
// algorithms").

/// Parsing and printing of UTC times (whole seconds since 1970-01-01).
public enum UTCTime {
    /// The time in `text`, or nil when it is not one of the accepted forms:
    /// `YYYY-MM-DDTHH:MM:SSZ` and `YYYY-MM-DD HH:MM:SS` (no zone = UTC),
    /// either with a fraction after the seconds (dropped), and — when
    /// `allowDateOnly` — a plain date `YYYY-MM-DD` (its midnight).
    public static func parse(_ text: UnsafeRawBufferPointer, allowDateOnly: Bool = false) -> Int64? {
        let n = text.count
        guard n >= 10, let year = digits(text, 0, 4), text[4] == UInt8(ascii: "-"),
            let month = digits(text, 5, 2), text[7] == UInt8(ascii: "-"), let day = digits(text, 8, 2),
            (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year)
        else { return nil }
        let midnight = Int64(daysFromCivil(year: year, month: month, day: day)) * 86_400
        if n == 10 { return allowDateOnly ? midnight : nil }
        guard n >= 19, text[10] == UInt8(ascii: "T") || text[10] == UInt8(ascii: " "),
            let hour = digits(text, 11, 2), text[13] == UInt8(ascii: ":"), let minute = digits(text, 14, 2),
            text[16] == UInt8(ascii: ":"), let second = digits(text, 17, 2),
            hour < 24, minute < 60, second < 60
        else { return nil }
        var i = 19
        if i < n && text[i] == UInt8(ascii: ".") {
            i += 1
            let fractionStart = i
            while i < n && isDigit(text[i]) { i += 1 }
            guard i > fractionStart else { return nil }
        }
        // The T form is UTC only with its Z; the space form has no zone.
        if text[10] == UInt8(ascii: "T") {
            guard i < n && text[i] == UInt8(ascii: "Z") else { return nil }
            i += 1
        }
        guard i == n else { return nil }
        return midnight + Int64(hour * 3600 + minute * 60 + second)
    }

    /// `parse` on a Swift string (command-line values).
    public static func parse(_ text: String, allowDateOnly: Bool = false) -> Int64? {
        var copy = text
        return copy.withUTF8 { parse(UnsafeRawBufferPointer($0), allowDateOnly: allowDateOnly) }
    }

    /// The day number (days since 1970-01-01) of a time.
    public static func day(_ time: Int64) -> Int64 {
        time >= 0 ? time / 86_400 : (time - 86_399) / 86_400
    }

    /// `2026-10-01T00:05:12Z`.
    public static func iso8601(_ time: Int64) -> String {
        let (year, month, day) = civil(fromDay: Self.day(time))
        let seconds = Int(time - Self.day(time) * 86_400)
        return pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T" + pad(seconds / 3600, 2) + ":"
            + pad(seconds / 60 % 60, 2) + ":" + pad(seconds % 60, 2) + "Z"
    }

    /// `2026-10-01`, for a day number.
    public static func date(day: Int64) -> String {
        let (year, month, dayOfMonth) = civil(fromDay: day)
        return pad(year, 4) + "-" + pad(month, 2) + "-" + pad(dayOfMonth, 2)
    }

    /// Days since 1970-01-01 of a calendar date.
    public static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    public static func civil(fromDay days: Int64) -> (year: Int, month: Int, day: Int) {
        let z = Int(days) + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func digits(_ text: UnsafeRawBufferPointer, _ start: Int, _ count: Int) -> Int? {
        var value = 0
        for i in start..<(start + count) {
            guard isDigit(text[i]) else { return nil }
            value = value * 10 + Int(text[i] &- UInt8(ascii: "0"))
        }
        return value
    }

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
