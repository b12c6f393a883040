// libFuzzer target: arbitrary bytes through TrailScanner.
//
// Checks, for every input:
// - no crash, no hang (libFuzzer's -timeout), no memory error (ASan);
// - every chunking gives the same answer as the whole-document scan (the
//   same counts, or the same reason at the same offset);
// - when the JSONSerialization reference (ReferenceCounter) accepts the input
//   as a trail, the scanner accepts it with equal counts; when the reference
//   rejects it, the scanner rejects it (inputs the reference cannot judge,
//   `.unsupported`, are only checked for consistency across chunkings).
//
// Run: scripts/fuzz.sh --target FuzzScanner --seconds 600

import FuzzSupport
import TrailScanCore

@_cdecl("FuzzScanner_main")
public func fuzzScannerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc: argc, argv: argv, fuzzScannerOneInput)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzScannerOneInput(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let input = count == 0 ? [] : Array(UnsafeRawBufferPointer(start: start, count: count))
    checkScanner(input)
    return 0
}

func checkScanner(_ input: [UInt8]) {
    let whole = scanInChunks(input, sizes: [Int.max])
    // Every non-final call rescans the unit in progress from its start, so
    // small chunks cost (record size)² / chunk: the smallest ones for small
    // inputs only (the fuzzer's speed is what finds bugs).
    var chunkings: [([Int], Bool)] = [([Int.max], true), ([64], false), ([4095, 1], false)]
    if input.count <= 2000 { chunkings += [([7], false), ([5, 1, 13, 2, 64, 3], false)] }
    if input.count <= 600 { chunkings += [([1], false), ([2], true)] }
    for (sizes, separateFinalCall) in chunkings {
        let chunked = scanInChunks(input, sizes: sizes, separateFinalCall: separateFinalCall)
        if chunked != whole {
            fuzzTrap("chunks \(sizes) (separate final call: \(separateFinalCall)) gave \(chunked), whole gave \(whole)", input)
        }
    }

    // Finding of this fuzzer (FailCases/FuzzScanner-bom-inside-string,
    // Tests/TrailScanCoreTests/FuzzRegressionTests.swift): Foundation's
    // JSONSerialization drops a U+FEFF (EF BB BF) at the start of a string
    // value, e.g. "keyId":"\u{FEFF}alias/x"; RFC 8259 makes it an ordinary
    // character there, and the scanner keeps it. The reference cannot judge
    // such input until ReferenceCounter closes that quirk.
    if hasByteOrderMarkAfterTheStart(input) { return }

    let reference: ReferenceResult
    do {
        reference = try ReferenceCounter.count(input)
    } catch let rejection as ReferenceRejection {
        if rejection.kind == .unsupported { return }
        if case .counted(let report) = whole {
            fuzzTrap("the reference rejected the input (\(rejection)) but the scanner counted \(ReferenceResult(report))", input)
        }
        return
    } catch {
        fuzzTrap("unexpected reference error \(error)", input)
    }
    switch whole {
    case .counted(let report):
        if ReferenceResult(report) != reference {
            fuzzTrap("scanner \(ReferenceResult(report)) != reference \(reference)", input)
        }
    case .rejected(let reason, let offset):
        fuzzTrap("the reference accepted the input (\(reference)) but the scanner rejected it: \(reason) at \(offset)", input)
    }
}

/// True when EF BB BF occurs anywhere but at offset 0.
func hasByteOrderMarkAfterTheStart(_ input: [UInt8]) -> Bool {
    guard input.count >= 4 else { return false }
    for i in 1..<(input.count - 2) where input[i] == 0xEF && input[i + 1] == 0xBB && input[i + 2] == 0xBF {
        return true
    }
    return false
}
