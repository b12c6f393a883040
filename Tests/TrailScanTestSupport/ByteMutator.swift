// Seeded random byte mutations for the differential tests: deterministic
// (SplitMix64, so a failure names its seed and replays exactly) and biased
// towards the bytes that matter to a JSON scanner: structural characters,
// string contents, escapes, digits, literal letters and bad UTF-8.

/// SplitMix64 (Steele, Lea, Flood 2014): small, fast, deterministic.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// One mutation, kept for the failure message.
public enum Mutation: Sendable, CustomStringConvertible {
    case replace(at: Int, with: UInt8)
    case insert(at: Int, byte: UInt8)
    case delete(at: Int, count: Int)
    case duplicate(from: Int, count: Int, to: Int)

    public var description: String {
        switch self {
        case .replace(let at, let byte): "replace byte \(at) with 0x\(String(byte, radix: 16))"
        case .insert(let at, let byte): "insert 0x\(String(byte, radix: 16)) at \(at)"
        case .delete(let at, let count): "delete \(count) bytes at \(at)"
        case .duplicate(let from, let count, let to): "copy \(count) bytes from \(from) to \(to)"
        }
    }
}

public enum ByteMutator {
    /// Bytes that change the meaning of JSON when they appear somewhere new.
    public static let interestingBytes: [UInt8] =
        Array("{}[],:\"\\ /0123456789-+.eEtrufalsn".utf8) + [0x00, 0x09, 0x0A, 0x1F, 0x7F, 0x80, 0xBF, 0xC0, 0xC2, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF]
        + Array("kmsRecordsventSoucIdNamAbdy".utf8)

    static let structural: Set<UInt8> = Set("{}[],:\"\\".utf8)

    /// Where mutations are aimed: the positions of structural characters and
    /// of string contents in a document (computed once per seed document;
    /// after earlier mutations shifted its bytes they are approximate, which
    /// is fine for aiming).
    public struct Targets: Sendable {
        public var structural: [Int]
        public var stringInterior: [Int]

        public init(_ bytes: [UInt8]) {
            structural = bytes.indices.filter { ByteMutator.structural.contains(bytes[$0]) }
            stringInterior = ByteMutator.stringInteriorPositions(bytes)
        }
    }

    /// Applies one random mutation to `bytes`, aimed a third of the time at
    /// a structural character, a third inside a string, else anywhere.
    public static func mutate(_ bytes: inout [UInt8], using rng: inout SplitMix64, targets: Targets? = nil) -> Mutation {
        let targets = targets ?? Targets(bytes)
        let uniform = Int.random(in: 0...bytes.count, using: &rng)
        let aimed: Int? =
            switch Int.random(in: 0..<3, using: &rng) {
            case 0: targets.structural.randomElement(using: &rng)
            case 1: targets.stringInterior.randomElement(using: &rng)
            default: nil
            }
        let position = min(aimed ?? uniform, bytes.count)
        let byte: UInt8 =
            Int.random(in: 0..<4, using: &rng) == 0
            ? UInt8.random(in: 0...255, using: &rng)
            : interestingBytes.randomElement(using: &rng)!
        switch Int.random(in: 0..<10, using: &rng) {
        case 0..<4 where !bytes.isEmpty:
            let at = min(position, bytes.count - 1)
            bytes[at] = byte
            return .replace(at: at, with: byte)
        case 4..<7:
            bytes.insert(byte, at: position)
            return .insert(at: position, byte: byte)
        case 7..<9 where !bytes.isEmpty:
            let at = min(position, bytes.count - 1)
            let count = min(bytes.count - at, Int.random(in: 0..<3, using: &rng) == 0 ? Int.random(in: 1...8, using: &rng) : 1)
            bytes.removeSubrange(at..<at + count)
            return .delete(at: at, count: count)
        default:
            guard !bytes.isEmpty else {
                bytes.insert(byte, at: 0)
                return .insert(at: 0, byte: byte)
            }
            let from = Int.random(in: 0..<bytes.count, using: &rng)
            let count = min(bytes.count - from, Int.random(in: 1...24, using: &rng))
            let to = Int.random(in: 0...bytes.count, using: &rng)
            bytes.insert(contentsOf: bytes[from..<from + count], at: to)
            return .duplicate(from: from, count: count, to: to)
        }
    }

    /// Shrinks a failing input: removes ever smaller ranges of bytes while
    /// `stillFails` holds (a greedy delta-debugging pass), for readable
    /// failure messages and bug reports.
    public static func minimize(_ input: [UInt8], maxAttempts: Int = 600, stillFails: ([UInt8]) -> Bool) -> [UInt8] {
        var best = input
        var attempts = 0
        var width = max(1, best.count / 2)
        while width >= 1 {
            var start = 0
            var removedAny = false
            while start < best.count && attempts < maxAttempts {
                var candidate = best
                candidate.removeSubrange(start..<min(best.count, start + width))
                attempts += 1
                if stillFails(candidate) {
                    best = candidate
                    removedAny = true
                } else {
                    start += width
                }
            }
            if attempts >= maxAttempts { break }
            if !removedAny || width > 1 { width /= 2 }
        }
        return best
    }

    /// Positions of bytes between the quotes of strings (by a simple lexer).
    static func stringInteriorPositions(_ bytes: [UInt8]) -> [Int] {
        var result: [Int] = []
        var inString = false
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if inString {
                if b == UInt8(ascii: "\"") {
                    inString = false
                } else {
                    result.append(i)
                    if b == UInt8(ascii: "\\") && i + 1 < bytes.count {
                        result.append(i + 1)
                        i += 1
                    }
                }
            } else if b == UInt8(ascii: "\"") {
                inString = true
            }
            i += 1
        }
        return result
    }
}
