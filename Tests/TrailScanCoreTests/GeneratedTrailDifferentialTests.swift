// The differential test of issue 2: whole generated trails — compact,
// pretty-printed and adversarial (escapes everywhere, any whitespace, any
// key order, deep nesting, long strings) — scanned by the production scanner
// (in chunks, as the IO layer feeds it) and by the JSONSerialization
// reference, file by file; the merged results must agree exactly, and the
// three styles of one seed (the same records, other bytes) must agree too.

import Testing
import TrailScanCore
import TrailScanGenerator
import TrailScanTestSupport

@Suite struct GeneratedTrailDifferentialTests {
    /// Scans every log file of a generated trail with the scanner and the
    /// reference; returns the scanner's result per file.
    func scanAndCompare(seed: UInt64, style: TrailGenerator.JSONStyle, bytes: Int) -> [ReferenceResult] {
        var generator = TrailGenerator(.init(seed: seed, targetBytes: bytes, style: style, includeDigests: false))
        var scannerTotal = UsageReport()
        var referenceTotal = ReferenceResult()
        var files = 0
        var perFile: [ReferenceResult] = []
        while let file = generator.next() {
            files += 1
            // Alternate chunkings across files: one odd size and one large.
            let chunking = files % 2 == 0 ? Chunking([4093]) : Chunking([65536, 17])
            let tally = UsageTally()
            switch scanInChunks(file.json, chunking: chunking, into: tally) {
            case .success:
                tally.commitFile()
                let report = tally.makeReport()
                scannerTotal.merge(report)
                perFile.append(ReferenceResult(report))
            case .failure(let error):
                Issue.record("\(style) seed \(seed): the scanner rejected \(file.relativePath): \(error)")
                perFile.append(ReferenceResult())
            }
            do {
                let reference = try ReferenceCounter.count(file.json)
                referenceTotal.records += reference.records
                referenceTotal.kmsRecords += reference.kmsRecords
                for (row, counts) in reference.rows { referenceTotal.rows[row, default: CallCounts()].add(counts) }
                #expect(reference.records == UInt64(file.records))
            } catch {
                Issue.record("\(style) seed \(seed): the reference rejected \(file.relativePath): \(error)")
            }
        }
        #expect(files > 3)
        expectMatches(scannerTotal, referenceTotal, "\(style) seed \(seed): scanner vs reference")
        return perFile
    }

    /// The sum of the first `count` per-file results.
    func total(_ results: [ReferenceResult], first count: Int) -> ReferenceResult {
        var sum = ReferenceResult()
        for result in results.prefix(count) {
            sum.records += result.records
            sum.kmsRecords += result.kmsRecords
            for (row, counts) in result.rows { sum.rows[row, default: CallCounts()].add(counts) }
        }
        return sum
    }

    @Test(arguments: [UInt64(1), 42, 9_001])
    func everyStyleAgreesWithTheReference(seed: UInt64) {
        let results = TrailGenerator.JSONStyle.allCases.map { scanAndCompare(seed: seed, style: $0, bytes: 3 << 20) }
        // Same records in other bytes: file by file, the counts must not
        // depend on the style. (The byte target stops the larger styles
        // sooner, so compare the files all three produced.)
        let common = results.map(\.count).min()!
        let totals = results.map { total($0, first: common) }
        for result in totals.dropFirst() {
            if let difference = reportDifference(result, expected: totals[0]) {
                Issue.record("styles disagree for seed \(seed):\n\(difference)")
            }
        }
        #expect(totals[0].kmsRecords > 100)
        #expect(totals[0].rows.count > 20)
    }
}
