// libFuzzer target: arbitrary bytes through both validation modes
// (`--validate used`, RecordSkimming.swift, and `--validate full`).
//
// Checks, for every input, with the engine's plan and with a plan counting
// S3 records (so that other records are skimmed):
// - no crash, no hang (libFuzzer's -timeout), no memory error (ASan), memory
//   bounded (-rss_limit_mb), in both modes;
// - `used` gives the same answer (counts, or reason and offset) at every
//   chunking as on the whole document;
// - where `full` accepts the input (valid RFC 8259 JSON, a trail), `used`
//   accepts it with the same counts: the two modes differ only on invalid
//   input;
// - where the JSONSerialization reference accepts it, `used` counts what
//   the reference counts (the engine's plan).
//
// Run: scripts/fuzz.sh --target FuzzValidation --seconds 600

import FuzzSupport
import TrailScanCore

@_cdecl("FuzzValidation_main")
public func fuzzValidationMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc: argc, argv: argv, fuzzValidationOneInput)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzValidationOneInput(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let input = count == 0 ? [] : Array(UnsafeRawBufferPointer(start: start, count: count))
    checkModes(input)
    return 0
}

let s3Plan: ScanPlan = {
    var plan = ScanPlan.engine
    plan.source = "s3.amazonaws.com"
    return plan
}()

func checkModes(_ input: [UInt8]) {
    var usedEngine = ScanAnswer.rejected(.truncated, offset: 0)
    for plan in [ScanPlan.engine, s3Plan] {
        let full = scanInChunks(input, sizes: [Int.max], plan: plan.validating(.full))
        let used = scanInChunks(input, sizes: [Int.max], plan: plan.validating(.used))
        if plan == .engine { usedEngine = used }
        if case .counted = full, used != full {
            fuzzTrap("valid input: --validate used gave \(used), full gave \(full) (source \(plan.source))", input)
        }
        var chunkings: [([Int], Bool)] = [([Int.max], true), ([64], false), ([4095, 1], false)]
        if input.count <= 2000 { chunkings += [([7], false), ([5, 1, 13, 2, 64, 3], false)] }
        if input.count <= 600 { chunkings += [([1], false), ([2], true)] }
        for (sizes, separateFinalCall) in chunkings {
            let chunked = scanInChunks(
                input, sizes: sizes, separateFinalCall: separateFinalCall, plan: plan.validating(.used))
            if chunked != used {
                fuzzTrap(
                    "--validate used, chunks \(sizes) (separate final call: \(separateFinalCall)) gave \(chunked), whole gave \(used)",
                    input)
            }
        }
    }

    // The reference's BOM quirk (see FuzzScanner): it cannot judge those.
    if hasByteOrderMarkAfterTheStart(input) { return }
    guard let reference = try? ReferenceCounter.count(input) else { return }
    switch usedEngine {
    case .counted(let report):
        if ReferenceResult(report) != reference {
            fuzzTrap("--validate used \(ReferenceResult(report)) != reference \(reference)", input)
        }
    case .rejected(let reason, let offset):
        fuzzTrap("the reference accepted the input (\(reference)) but --validate used rejected it: \(reason) at \(offset)", input)
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
