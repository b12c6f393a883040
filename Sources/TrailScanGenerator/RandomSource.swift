// The generator's only source of randomness: xoshiro256** seeded through
// SplitMix64, with integer-only helpers so that the output is bit-identical
// on every machine and every Swift version.
//
// Deliberately NOT used: the standard library's `random(in:using:)`,
// `shuffled(using:)` and `randomElement(using:)`. Their algorithms are not
// part of the documented contract and could change between toolchains, which
// would silently change every generated trail. Floating point is not used
// either (no `log`/`exp` from libm, whose last bits differ between platforms).

/// A small, fast, deterministic pseudo-random generator (xoshiro256**,
/// Blackman & Vigna 2018), seeded with SplitMix64.
///
/// Streams are *forked* by label (`fork(_:)`) so that independent parts of
/// the generator (file plan, record content, serialization style, digests)
/// never consume each other's numbers: changing one part's consumption does
/// not reshuffle the others.
struct RandomSource {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    /// Seeds the four state words with consecutive SplitMix64 outputs, as the
    /// xoshiro authors recommend; never all zero.
    init(seed: UInt64) {
        var sm = seed
        s0 = RandomSource.splitMix(&sm)
        s1 = RandomSource.splitMix(&sm)
        s2 = RandomSource.splitMix(&sm)
        s3 = RandomSource.splitMix(&sm)
    }

    /// SplitMix64 step (Steele, Lea, Flood 2014). Wrapping arithmetic is the
    /// algorithm's definition, not an overflow hazard.
    static func splitMix(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A 64-bit hash of two words, used to derive seeds from (seed, label).
    static func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
        var state = a ^ (b &* 0xD6E8_FEB8_6659_FD93)
        _ = splitMix(&state)
        return splitMix(&state)
    }

    /// The next 64 random bits (xoshiro256**).
    @inline(__always)
    mutating func next() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    @inline(__always)
    private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 &- k))
    }

    /// An independent stream derived from this one's next output and `label`.
    mutating func fork(_ label: UInt64) -> RandomSource {
        RandomSource(seed: RandomSource.mix(next(), label))
    }

    /// Uniform in `0..<bound` (`bound > 0`), by Lemire's multiply-high
    /// reduction without the rejection step: the bias is below
    /// `bound / 2^64`, far under anything a trail could show, and the
    /// result stays a pure function of one `next()`.
    @inline(__always)
    mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0, "below(_:) needs a positive bound")
        return Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(bound)).high)
        // truncatingIfNeeded: the high word is < bound, which fits in Int.
    }

    /// Uniform in `lower...upper`.
    @inline(__always)
    mutating func int(_ lower: Int, _ upper: Int) -> Int {
        lower + below(upper - lower + 1)
    }

    /// True with probability `numerator / denominator`.
    @inline(__always)
    mutating func chance(_ numerator: Int, in denominator: Int) -> Bool {
        below(denominator) < numerator
    }

    /// A uniformly chosen element of a non-empty array.
    @inline(__always)
    mutating func pick<T>(_ items: [T]) -> T {
        items[below(items.count)]
    }

    /// An index in `0..<count` skewed towards 0 (the smaller of two uniform
    /// draws): a few popular items and a long tail, like keys and principals
    /// in a real account.
    @inline(__always)
    mutating func skewed(_ count: Int) -> Int {
        Swift.min(below(count), below(count))
    }

    /// An index chosen with the given integer weights (not all zero).
    mutating func weighted(_ weights: [Int], total: Int) -> Int {
        var r = below(total)
        for (i, w) in weights.enumerated() {
            if r < w { return i }
            r -= w
        }
        return weights.count - 1
    }

    /// Roughly log-uniform in `lower...upper`: an octave is chosen uniformly,
    /// then a value uniformly inside it. Integer-only (no libm).
    mutating func logUniform(_ lower: Int, _ upper: Int) -> Int {
        precondition(lower >= 1 && upper >= lower)
        var octaves = 0
        while lower << (octaves + 1) <= upper { octaves += 1 }
        let k = below(octaves + 1)
        let lo = lower << k
        let hi = Swift.min(upper, (lower << (k + 1)) - 1)
        return int(lo, Swift.max(lo, hi))
    }

    /// Fisher–Yates shuffle of `items[range]` with this generator.
    mutating func shuffle<T>(_ items: inout [T], _ range: Range<Int>) {
        var i = range.upperBound - 1
        while i > range.lowerBound {
            let j = range.lowerBound + below(i - range.lowerBound + 1)
            items.swapAt(i, j)
            i -= 1
        }
    }
}
