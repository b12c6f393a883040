// Issue #16: `--by` groupings of millions of rows are ranked, sorted and
// rendered from interned ids, over the parts of several workers or shards
// without merging them first. Each piece is checked against the obvious
// implementation (Strings, a Dictionary, a comparison sort, the cell-by-cell
// renderer) on seeded random rows built to collide across parts and to
// carry every byte the renderers must escape.

import Testing
@testable import TrailScanCore
import TrailScanTestSupport

@Suite struct GroupedRowsTests {
    /// Byte strings that share long prefixes, are prefixes of each other,
    /// and hold zero bytes, high bytes and 0x7F.
    static func byteStrings(_ count: Int, rng: inout SplitMix64) -> [[UInt8]] {
        let prefixes: [[UInt8]] = [
            [], Array("arn:aws:sts::111122223333:assumed-role/App/".utf8), Array("arn:aws:sts::111122223333:assumed-role/Ap".utf8),
            [0], [0xFF, 0x00], [0x7F],
        ]
        return (0..<count).map { _ in
            var bytes = prefixes[Int(rng.next() % UInt64(prefixes.count))]
            for _ in 0..<Int(rng.next() % 20) { bytes.append([UInt8(0), 0x41, 0x61, 0x7F, 0x80, 0xFF, UInt8(rng.next() & 0xFF)][Int(rng.next() % 7)]) }
            return bytes
        }
    }

    @Test func sortByBytesIsTheByteOrder() {
        var rng = SplitMix64(seed: 16)
        for size in [0, 1, 2, 17, 300, 5_000] {
            var interner = ByteInterner()
            var ids = Set<UInt32>()
            for bytes in Self.byteStrings(size, rng: &rng) {
                ids.insert(bytes.withUnsafeBytes { interner.intern($0)! })
            }
            var sorted = Array(ids).shuffled(using: &rng)
            interner.sortByBytes(&sorted)
            let expected = Array(ids).sorted { a, b in
                interner.bytes(a).lexicographicallyPrecedes(interner.bytes(b))
            }
            #expect(sorted == expected, "size \(size)")
        }
    }

    /// Random rows over small alphabets (so parts repeat each other's rows),
    /// with values that need CSV quotes, JSON escapes, or repair.
    static func randomRows(_ count: Int, rng: inout SplitMix64) -> [(UsageReport.RowKey, CallCounts)] {
        let keys = ["", "arn:aws:kms:us-east-1:111122223333:key/a", "arn:aws:kms:eu-west-1:444455556666:key/b", "k,\"q\""]
        let events = ["Decrypt", "Encrypt", "GenerateDataKey", "Ünïcode", "tab\there"]
        let principals = (0..<40).map { "arn:aws:sts::111122223333:assumed-role/App/i-\($0 * 7919 % 1000)" } + ["", "new\nline", "\u{7F}del", "\u{1}ctl"]
        let days = ["", "2026-10-01", "2026-10-02", "1969-12-31"]
        return (0..<count).map { _ in
            var row = UsageReport.RowKey(
                key: keys.randomElement(using: &rng)!, eventName: events.randomElement(using: &rng)!)
            row.principal = principals.randomElement(using: &rng)!
            row.day = days.randomElement(using: &rng)!
            row.callerAccount = ["", "111122223333", "444455556666"].randomElement(using: &rng)!
            let calls = rng.next() % 50 + 1
            let time = Int64(rng.next() % 1_000_000)
            return (row, CallCounts(calls: calls, errors: rng.next() % (calls + 1), firstSeen: time, lastSeen: time + 5))
        }
    }

    /// The same rows in several parts, as workers or shards leave them.
    static func table(_ rows: [(UsageReport.RowKey, CallCounts)], parts: Int) -> RowTable {
        var table = RowTable()
        for p in 0..<parts {
            var part = RowTable()
            for (i, (row, counts)) in rows.enumerated() where i % parts == p { part.add(row, counts) }
            table.merge(part)
        }
        return table
    }

    @Test(arguments: [1, 2, 3, 9])
    func groupingMatchesADictionaryAndASort(parts: Int) {
        var rng = SplitMix64(seed: UInt64(parts))
        let rows = Self.randomRows(2_000, rng: &rng)
        let table = Self.table(rows, parts: parts)
        #expect(table.parts.count == min(parts, 9))
        for dimensions: [GroupingDimension] in [
            [.key], [.principal], [.key, .principal], [.principal, .key], [.key, .event, .principal],
            [.ownerAccount, .day], [.day, .callerAccount, .event], [.event, .key, .principal, .day],
        ] {
            var sums: [[String]: CallCounts] = [:]
            for (row, counts) in rows { sums[dimensions.map { row.value(of: $0) }, default: CallCounts()].add(counts) }
            let expected = sums.sorted { a, b in
                for (x, y) in zip(a.key, b.key) where !x.utf8.elementsEqual(y.utf8) {
                    return x.utf8.lexicographicallyPrecedes(y.utf8)
                }
                return false
            }
            let grouped = GroupedRows(table, by: dimensions).materialized
            #expect(grouped.map(\.values) == expected.map(\.key), "\(dimensions)")
            #expect(grouped.map(\.counts) == expected.map(\.value), "\(dimensions)")
        }
    }

    @Test func partsAddUpLikeOneTable() {
        var rng = SplitMix64(seed: 7)
        let rows = Self.randomRows(500, rng: &rng)
        let one = Self.table(rows, parts: 1)
        let three = Self.table(rows, parts: 3)
        #expect(three.parts.count == 3)
        #expect(one == three)
        #expect(one.count == three.count)
        for (row, counts) in one { #expect(three[row] == counts) }
        // Rows added after a merge go to a part of their own: the workers'
        // parts are shared copy-on-write and stay untouched.
        var more = three
        more.add(rows[0].0, CallCounts(calls: 1))
        #expect(more.parts.count == 4 && three.parts.count == 3)
        #expect(more[rows[0].0]!.calls == three[rows[0].0]!.calls + 1)
    }

    /// The streaming writer (values copied from the pool) and the
    /// cell-by-cell one (Strings) give the same bytes in every format.
    @Test func streamedRowsAreTheCellsRendered() {
        var rng = SplitMix64(seed: 99)
        let rows = Self.randomRows(800, rng: &rng)
        var request = ReportRequest()
        request.grouping = [.key, .principal, .day]
        request.times = true
        var partial = Partial(request: request)
        partial.report.rows = Self.table(rows, parts: 2)
        let answer = ReportAnswer(partial)
        for top in [nil, 2] as [Int?] {
            let lazy = answer.tableOfRequest(top: top)
            #expect(lazy.grouping != nil)
            var eager = ReportTable(name: lazy.name, columns: lazy.columns, rows: lazy.allRows)
            eager.grouping = nil
            for format in [ReportFormat.csv, .ndjson, .json] {
                let streamed = ReportRenderer.render(format, table: lazy, summary: answer.summary, failures: [], blindSpots: [])
                let cells = ReportRenderer.render(format, table: eager, summary: answer.summary, failures: [], blindSpots: [])
                #expect(streamed == cells, "\(format) top \(String(describing: top))")
            }
        }
    }

    @Test func topKeepsTheBusiestAndCountsTheGroup() {
        var table = RowTable()
        for (i, calls) in [5, 9, 9, 1].enumerated() {
            var row = UsageReport.RowKey(key: "k", eventName: "Decrypt")
            row.principal = "p\(i)"
            table.add(row, CallCounts(calls: UInt64(calls)))
        }
        var grouped = GroupedRows(table, by: [.key, .principal])
        grouped.keepBusiest(2)
        // The two busiest (a tie, kept in byte order), in byte order.
        #expect(grouped.materialized.map(\.values) == [["k", "p1"], ["k", "p2"]])
        #expect(grouped.order.map { grouped.groupSizes[$0] } == [4, 4])
    }
}

/// A part's rows are read as they stream past (a part of millions of rows is
/// never held as a JSON tree): the same part back, and every malformed
/// document still refused with its reason.
@Suite struct StreamedPartialRowsTests {
    func read(_ text: String) throws -> Partial {
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBytes { try Partial(json: $0) }
    }

    @Test func rowsRoundTripAndMalformedPartsAreRefused() throws {
        var rng = SplitMix64(seed: 5)
        var request = ReportRequest()
        request.grouping = [.key, .principal, .role, .resource]
        var partial = Partial(request: request)
        partial.report.rows = GroupedRowsTests.table(GroupedRowsTests.randomRows(300, rng: &rng), parts: 3)
        let text = partial.json()
        let back = try read(text)
        #expect(back.report.rows == partial.report.rows)
        #expect(back.json() == text)
        // Inside a shard's JSON report (member "partial") too.
        let report = ReportAnswer(partial).render(.json, embeddingPartial: true)
        #expect(try read(report).report.rows == partial.report.rows)

        func refused(_ text: String, _ reason: String) {
            #expect(throws: PartialFormatError.self) { try read(text) }
            do { _ = try read(text) } catch { #expect("\(error)".contains(reason), "\(error)") }
        }
        refused(text.replacingOccurrences(of: "\"rows\": [", with: "\"rows\": [[\"k\", 1], "), "is not an array of 15 values")
        refused(text.replacingOccurrences(of: "\"rows\": [", with: "\"rows\": [], \"rows\": ["), "not JSON")
        // Another version's rows are not judged by this version's layout.
        refused(
            text.replacingOccurrences(of: "\"trailscanPartial\": \(Partial.formatVersion)", with: "\"trailscanPartial\": 99")
                .replacingOccurrences(of: "\"rows\": [", with: "\"rows\": [[1], "),
            "format version 99")
    }
}
