// Proleptic Gregorian date arithmetic on Unix seconds, without Foundation:
// days-from-civil and civil-from-days (Howard Hinnant, "chrono-compatible
// low-level date algorithms"), and the two text forms CloudTrail uses.

/// A UTC calendar date and time of day.
struct CivilDate: Equatable {
    var year: Int
    var month: Int  // 1...12
    var day: Int  // 1...31
    var hour: Int
    var minute: Int
    var second: Int

    /// Days since 1970-01-01 of a calendar date.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400  // [0, 399]
        let mp = (month + 9) % 12  // March = 0
        let doy = (153 * mp + 2) / 5 + day - 1  // [0, 365]
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy  // [0, 146096]
        return era * 146097 + doe - 719468
    }

    /// Unix seconds of a calendar date at midnight UTC.
    static func epochSeconds(year: Int, month: Int, day: Int) -> Int64 {
        Int64(daysFromCivil(year: year, month: month, day: day)) * 86_400
    }

    /// The calendar date and time of `epochSeconds` (UTC).
    init(epochSeconds t: Int64) {
        var days = Int(t / 86_400)
        var secs = Int(t % 86_400)
        if secs < 0 {
            secs += 86_400
            days -= 1
        }
        let z = days + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097  // [0, 146096]
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365  // [0, 399]
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)  // [0, 365]
        let mp = (5 * doy + 2) / 153  // [0, 11]
        day = doy - (153 * mp + 2) / 5 + 1
        month = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        hour = secs / 3600
        minute = (secs / 60) % 60
        second = secs % 60
    }

    /// `2026-10-01T00:05:12Z`, CloudTrail's `eventTime` form.
    func appendISO8601(to out: inout [UInt8]) {
        appendDigits(year, 4, &out)
        out.append(UInt8(ascii: "-"))
        appendDigits(month, 2, &out)
        out.append(UInt8(ascii: "-"))
        appendDigits(day, 2, &out)
        out.append(UInt8(ascii: "T"))
        appendDigits(hour, 2, &out)
        out.append(UInt8(ascii: ":"))
        appendDigits(minute, 2, &out)
        out.append(UInt8(ascii: ":"))
        appendDigits(second, 2, &out)
        out.append(UInt8(ascii: "Z"))
    }

    /// `20261001T0005Z`, the delivery stamp in a log file's name.
    func appendFileStamp(to out: inout [UInt8], seconds: Bool = false) {
        appendDigits(year, 4, &out)
        appendDigits(month, 2, &out)
        appendDigits(day, 2, &out)
        out.append(UInt8(ascii: "T"))
        appendDigits(hour, 2, &out)
        appendDigits(minute, 2, &out)
        if seconds { appendDigits(second, 2, &out) }  // digest names: YYYYMMDDTHHMMSSZ
        out.append(UInt8(ascii: "Z"))
    }

    /// `2026/10/01`, the date folders of the S3 key layout.
    func appendDatePath(to out: inout [UInt8]) {
        appendDigits(year, 4, &out)
        out.append(UInt8(ascii: "/"))
        appendDigits(month, 2, &out)
        out.append(UInt8(ascii: "/"))
        appendDigits(day, 2, &out)
    }

    /// `Oct 1, 2026, 12:05:12 AM`, the Java-style date KMS writes in
    /// `keyMetadata.creationDate` and `deletionDate`.
    func appendJavaStyle(to out: inout [UInt8]) {
        let names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        out.append(contentsOf: names[month - 1].utf8)
        out.append(UInt8(ascii: " "))
        appendDecimal(day, &out)
        out.append(contentsOf: ", ".utf8)
        appendDecimal(year, &out)
        out.append(contentsOf: ", ".utf8)
        let h12 = hour % 12 == 0 ? 12 : hour % 12
        appendDecimal(h12, &out)
        out.append(UInt8(ascii: ":"))
        appendDigits(minute, 2, &out)
        out.append(UInt8(ascii: ":"))
        appendDigits(second, 2, &out)
        out.append(contentsOf: (hour < 12 ? " AM" : " PM").utf8)
    }
}

/// Appends `value` (non-negative) zero-padded to `width` digits.
@inline(__always)
func appendDigits(_ value: Int, _ width: Int, _ out: inout [UInt8]) {
    var divisor = 1
    for _ in 1..<width { divisor *= 10 }
    var v = value
    while divisor > 0 {
        out.append(UInt8(ascii: "0") + UInt8(truncatingIfNeeded: (v / divisor) % 10))  // a digit, 0...9
        v %= divisor
        divisor /= 10
    }
}

/// Appends the decimal form of `value` (any sign, no padding).
func appendDecimal(_ value: Int, _ out: inout [UInt8]) {
    if value < 0 { out.append(UInt8(ascii: "-")) }
    var magnitude = value.magnitude
    var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                 UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
        (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    var n = 0
    withUnsafeMutableBytes(of: &digits) { buf in
        repeat {
            buf[n] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: magnitude % 10)  // a digit, 0...9
            magnitude /= 10
            n += 1
        } while magnitude > 0
        while n > 0 {
            n -= 1
            out.append(buf[n])
        }
    }
}
