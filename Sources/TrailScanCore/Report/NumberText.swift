// Number formatting for the reports, without Foundation: thousands
// separators, fixed decimals, and human units in powers of 1000.

enum NumberText {
    /// `n` with a comma every three digits: `1234567` → `1,234,567`.
    static func grouped(_ n: UInt64) -> String {
        let digits = Array(String(n).utf8)
        var out: [UInt8] = []
        out.reserveCapacity(digits.count + digits.count / 3)
        for (i, digit) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(UInt8(ascii: ",")) }
            out.append(digit)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `x` rounded half up to `decimals` places (0...6), as plain
    /// digits: `fixed(0.0125, 3)` → `0.013`. Negative, NaN and infinite
    /// values render as zero and values of 10^12 and more are clamped: the
    /// callers format durations and rates, which are neither.
    static func fixed(_ x: Double, decimals: Int) -> String {
        precondition((0...6).contains(decimals))
        var scale: UInt64 = 1
        for _ in 0..<decimals { scale *= 10 }
        let clamped = x.isFinite && x > 0 ? min(x, 1e12) : 0
        // At most 10^18 < 2^63: the conversion cannot overflow.
        let scaled = roundedHalfUp(clamped * Double(scale))
        let whole = String(scaled / scale)
        guard decimals > 0 else { return whole }
        var fraction = String(scaled % scale)
        while fraction.utf8.count < decimals { fraction = "0" + fraction }
        return whole + "." + fraction
    }

    /// `x` (finite, 0 ≤ x < 2^63) rounded half up to a whole number.
    ///
    /// `Double.rounded()` would call libm's `round`, which a Foundation-free
    /// executable does not link on Linux; truncating conversion is a single
    /// instruction. `x - Double(whole)` is exact below 2^52, and above that
    /// every Double is already whole.
    static func roundedHalfUp(_ x: Double) -> UInt64 {
        let whole = UInt64(x)
        return x - Double(whole) >= 0.5 ? whole + 1 : whole
    }

    /// A quantity in human units, powers of 1000, with one decimal below
    /// 100 and none from 100 up: `913 KB`, `1.2 MB`, `120 MB`. Values below
    /// 1000 of the base unit are whole numbers (`512 B`).
    ///
    /// - Parameters:
    ///   - x: the quantity in base units (bytes, or bytes per second).
    ///   - suffix: appended to each unit (`""` for sizes, `"/s"` for rates).
    static func human(_ x: Double, suffix: String = "") -> String {
        let units = ["B", "KB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"]
        var value = x.isFinite && x > 0 ? x : 0
        var unit = 0
        while true {
            let last = unit == units.count - 1
            if unit > 0 {
                let tenths = roundedHalfUp(min(value, 1e12) * 10)
                if tenths < 1000 { return "\(tenths / 10).\(tenths % 10) \(units[unit])\(suffix)" }
            }
            let whole = roundedHalfUp(min(value, 1e12))
            if whole < 1000 || last { return "\(whole) \(units[unit])\(suffix)" }
            value /= 1000
            unit += 1
        }
    }

    /// A byte count in human units: `913 KB`.
    static func bytes(_ n: UInt64) -> String { human(Double(n)) }

    /// A duration in seconds with two decimals below 10 s, one below 100 s,
    /// none from there: `0.01 s`, `42.1 s`, `1234 s`.
    static func seconds(_ s: Double) -> String {
        let value = s.isFinite && s > 0 ? s : 0
        if value < 1e9 && roundedHalfUp(value * 100) < 1000 { return fixed(value, decimals: 2) + " s" }
        if value < 1e9 && roundedHalfUp(value * 10) < 1000 { return fixed(value, decimals: 1) + " s" }
        return fixed(value, decimals: 0) + " s"
    }

    /// Uncompressed bytes per second in human units (`120 MB/s`), or nil
    /// when the duration is zero or not a number, or nothing was read.
    static func throughput(bytes: UInt64, seconds: Double) -> String? {
        guard seconds.isFinite && seconds > 0 && bytes > 0 else { return nil }
        return human(Double(bytes) / seconds, suffix: "/s")
    }
}
