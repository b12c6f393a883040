// `--top N` (issue #15: the demo shows the top keys, not every row; issue
// #16: the busiest rows of each key) and the table's expanded layout for
// reports wider than a terminal.

import Testing
import TrailScanCore

@Suite struct TopAndLayoutTests {
    static let keyA = "arn:aws:kms:us-east-1:111122223333:key/aaaa"
    static let keyB = "arn:aws:kms:us-east-1:111122223333:key/bbbb"

    static func partial(_ rows: [(key: String, event: String, principal: String, calls: UInt64)], grouping: [GroupingDimension])
        -> Partial
    {
        var request = ReportRequest()
        request.grouping = grouping
        var partial = Partial(request: request)
        for row in rows {
            var key = UsageReport.RowKey(key: row.key, eventName: row.event)
            key.principal = row.principal
            partial.report.rows.add(key, CallCounts(calls: row.calls))
        }
        return partial
    }

    static let rows: [(key: String, event: String, principal: String, calls: UInt64)] = [
        (keyA, "Decrypt", "alice", 5), (keyA, "Encrypt", "bob", 7), (keyA, "Decrypt", "carol", 7),
        (keyB, "Decrypt", "alice", 20), ("", "ListKeys", "alice", 1),
    ]

    @Test func topKeepsTheBusiestKeysWithExactCounts() {
        let answer = ReportAnswer(Self.partial(Self.rows, grouping: [.key, .event]))
        let csv = answer.render(.csv, top: 1)
        #expect(csv == "key,event_name,calls,errors\n\(Self.keyB),Decrypt,20,0\n")
        let two = answer.render(.csv, top: 2)
        #expect(two.contains("\(Self.keyA),Decrypt,12,0\n"))  // every event of a kept key, summed exactly
        #expect(!two.contains("ListKeys"))
        let table = answer.render(.table, top: 1)
        #expect(table.contains("2 more key(s) not shown (--top 1)"))
        #expect(answer.render(.csv) == answer.render(.csv, top: 99))
    }

    @Test func topKeepsTheBusiestRowsOfEachFirstDimensionValue() {
        let answer = ReportAnswer(Self.partial(Self.rows, grouping: [.key, .principal]))
        let csv = answer.render(.csv, top: 1)
        // Per key, the busiest principal; a tie (bob and carol, 7 each) goes
        // to the first in byte order. group_rows: the key's principals in all.
        #expect(
            csv == """
                key,principal,calls,errors,group_rows
                ,alice,1,0,1
                \(Self.keyA),bob,7,0,3
                \(Self.keyB),alice,20,0,1

                """)
    }

    @Test func wideTablesSwitchToOneBlockPerRow() {
        let long = String(repeating: "p", count: 120)
        let answer = ReportAnswer(Self.partial([(Self.keyA, "Decrypt", long, 3)], grouping: [.key, .principal]))
        let table = answer.render(.table)
        for line in table.split(separator: "\n") { #expect(line.count <= 100 || line.hasPrefix("principal"), "\(line)") }
        #expect(table.contains("-[ row 1 ]-\nkey        \(Self.keyA)\nprincipal  \(long)\ncalls      3\nerrors     0\n"))
        #expect(table.contains("-f csv gives one line per row"))
        // Narrow tables stay tables.
        let narrow = ReportAnswer(Self.partial([(Self.keyA, "Decrypt", "alice", 3)], grouping: [.key, .principal]))
        #expect(!narrow.render(.table).contains("-[ row"))
    }
}
