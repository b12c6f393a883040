// The reports beyond the engine's key/event counts (`--by`, `--report idle`,
// `lifecycle`, `aliases`, `blind-spots`, `gaps`) are all tables of cells:
// one value, rendered by one set of functions in every format.
//
//     csv:        the column names, then one line per row (RFC 4180).
//     ndjson:     one object per row, members named as the CSV columns.
//     json:       {"summary": {...}, "<name>": [rows as objects with the
//                 JSON member names], "blindSpots": [...], "failures": [...]}
//     table:      aligned columns for people, then the summary block.
//     prometheus: one gauge per numeric column, the text columns as labels.

/// One cell: text, a count, a time, or nothing (CSV empty, JSON null).
public enum ReportCell: Sendable, Equatable {
    case text(String)
    case count(UInt64)
    case time(Int64)
    case none

    var csv: String {
        switch self {
        case .text(let s): s
        case .count(let n): String(n)
        case .time(let t): UTCTime.iso8601(t)
        case .none: ""
        }
    }

    var json: String {
        switch self {
        case .text(let s): JSONText.string(s)
        case .count(let n): String(n)
        case .time(let t): JSONText.string(UTCTime.iso8601(t))
        case .none: "null"
        }
    }
}

/// A report as columns and rows.
public struct ReportTable: Sendable, Equatable {
    public struct Column: Sendable, Equatable {
        public var csvName: String
        public var jsonName: String
        public init(_ csvName: String, json jsonName: String) {
            self.csvName = csvName
            self.jsonName = jsonName
        }
    }

    /// The JSON member holding the rows, and the Prometheus metric prefix.
    public var name: String
    public var columns: [Column]
    /// The rows as cells (empty when `grouping` holds them).
    public var rows: [[ReportCell]]
    /// A `--by` report's rows, still interned: CSV, NDJSON and JSON write
    /// them straight from the ids (`GroupedCells`), the other formats ask
    /// for `allRows`.
    var grouping: GroupedCells?

    public init(name: String, columns: [Column], rows: [[ReportCell]] = []) {
        self.name = name
        self.columns = columns
        self.rows = rows
    }

    public var rowCount: Int { grouping?.rows.count ?? rows.count }

    /// Every row as cells (built here for a grouping).
    public var allRows: [[ReportCell]] {
        guard let grouping else { return rows }
        return grouping.rows.withReader { reader in grouping.rows.order.map { grouping.cells($0, reader) } }
    }

    public static func == (a: ReportTable, b: ReportTable) -> Bool {
        a.name == b.name && a.columns == b.columns && a.allRows == b.allRows
    }
}

/// The cells of a `--by` report's rows: the grouping's values, then calls,
/// errors, the times when asked for, and the group size with `--top`.
struct GroupedCells: Sendable {
    var rows: GroupedRows
    var times: Bool
    var groupSize: Bool

    func cells(_ row: Int, _ reader: GroupedRows.Reader) -> [ReportCell] {
        var out = (0..<rows.dimensions.count).map { ReportCell.text(reader.string(row: row, column: $0)) }
        forEachCount(row) { out.append($0) }
        return out
    }

    /// The cells after the values.
    func forEachCount(_ row: Int, _ body: (ReportCell) -> Void) {
        let counts = rows.counts[row]
        body(.count(counts.calls))
        body(.count(counts.errors))
        if times {
            body(counts.hasTimes ? .time(counts.firstSeen) : .none)
            body(counts.hasTimes ? .time(counts.lastSeen) : .none)
        }
        if groupSize { body(.count(UInt64(rows.groupSizes[row]))) }
    }
}

/// Report text on its way out, handed on in pieces of about a megabyte, so
/// that a report of millions of rows is never held whole.
public final class ReportStream {
    private var pending: [UInt8] = []
    private let deliver: ([UInt8]) -> Void

    public init(deliver: @escaping ([UInt8]) -> Void) {
        self.deliver = deliver
        pending.reserveCapacity(1 << 20)
    }

    public func append(_ text: String) {
        pending.append(contentsOf: text.utf8)
        if pending.count >= 1 << 20 { flush() }
    }

    func append(_ bytes: [UInt8]) {
        guard pending.count + bytes.count >= 1 << 20 else {
            pending.append(contentsOf: bytes)
            return
        }
        flush()
        if bytes.count >= 1 << 20 {
            deliver(bytes)  // a whole chunk: handed on without a copy
            return
        }
        pending.append(contentsOf: bytes)
    }

    /// Hands on what is pending.
    public func flush() {
        guard !pending.isEmpty else { return }
        deliver(pending)
        pending.removeAll(keepingCapacity: true)
    }

    /// Collects a whole report as a String.
    static func collect(_ body: (ReportStream) -> Void) -> String {
        var text: [UInt8] = []
        let stream = ReportStream { text += $0 }
        body(stream)
        stream.flush()
        return String(decoding: text, as: UTF8.self)
    }
}

extension ReportRenderer {
    /// Renders a table report in `format`; `blindSpots` are carried by JSON
    /// (and the table's warning section).
    public static func render(
        _ format: ReportFormat, table: ReportTable, summary: ScanSummary, failures: [FileFailure],
        blindSpots: [BlindSpot]
    ) -> String {
        ReportStream.collect { render(format, table: table, summary: summary, failures: failures, blindSpots: blindSpots, to: $0) }
    }

    /// Renders a table report in `format` into `stream`; CSV, NDJSON and
    /// JSON rows are written one at a time.
    public static func render(
        _ format: ReportFormat, table: ReportTable, summary: ScanSummary, failures: [FileFailure],
        blindSpots: [BlindSpot], to stream: ReportStream
    ) {
        switch format {
        case .csv:
            stream.append(table.columns.map(\.csvName).joined(separator: ",") + "\n")
            table.writeRows(to: stream, json: false, names: [], separator: Array(",".utf8), prefix: ([], []), suffix: [0x0A])
        case .ndjson:
            let names = table.columns.map { Array((JSONText.string($0.csvName) + ":").utf8) }
            table.writeRows(
                to: stream, json: true, names: names, separator: Array(",".utf8), prefix: (Array("{".utf8), Array("{".utf8)),
                suffix: Array("}\n".utf8))
        case .json:
            stream.append("{\n  \"summary\": " + summaryObject(summary, indent: "  ") + ",\n")
            stream.append("  \(JSONText.string(table.name)): ")
            let names = table.columns.map { Array((JSONText.string($0.jsonName) + ": ").utf8) }
            if table.rowCount == 0 {
                stream.append("[]")
            } else {
                table.writeRows(
                    to: stream, json: true, names: names, separator: Array(", ".utf8),
                    prefix: (Array("[\n    {".utf8), Array(",\n    {".utf8)), suffix: Array("}".utf8))
                stream.append("\n  ]")
            }
            if table.name != "blindSpots" {  // that report is the array itself
                stream.append(",\n  \"blindSpots\": " + jsonArray(blindSpots.map(blindSpotObject)))
            }
            stream.append(",\n  \"failures\": " + jsonArray(sortedFailures(failures).map(failureObject)) + "\n}\n")
        case .table:
            var out = ""
            appendColumns(table, to: &out)
            appendTrailer(summary: summary, failures: failures, blindSpots: blindSpots, to: &out)
            stream.append(out)
        case .prometheus:
            stream.append(prometheus(table: table, summary: summary, blindSpots: blindSpots))
        case .html:
            stream.append(HTMLReport(summary: summary, failures: failures, keys: [], blindSpots: blindSpots, table: table).render())
        }
    }

    static func jsonArray(_ items: [String]) -> String {
        items.isEmpty ? "[]" : "[\n    " + items.joined(separator: ",\n    ") + "\n  ]"
    }

    static func blindSpotObject(_ spot: BlindSpot) -> String {
        "{\"trail\": \(JSONText.string(spot.trail)), \"account\": \(JSONText.string(spot.account)), "
            + "\"region\": \(JSONText.string(spot.region)), \"from\": \(ReportCell.time(spot.from).json), "
            + "\"until\": \(spot.until.map { ReportCell.time($0).json } ?? "null"), "
            + "\"missing\": \(JSONText.string(spot.missing.rawValue)), \"cause\": \(JSONText.string(spot.cause))}"
    }

    static func failureObject(_ failure: FileFailure) -> String {
        "{\"file\": \(JSONText.string(failure.path)), \"error\": \(JSONText.string(failure.error)), "
            + "\"recordsBeforeFailure\": \(failure.recordsBeforeFailure)}"
    }

    /// One warning line per blind spot, for people.
    public static func blindSpotWarnings(_ spots: [BlindSpot]) -> [String] {
        spots.map { spot in
            "warning: trail \(TerminalText.sanitize(spot.trail)) (account \(TerminalText.sanitize(spot.account)), "
                + "\(TerminalText.sanitize(spot.region))) did not log \(spot.missing.description) from \(UTCTime.iso8601(spot.from)) "
                + (spot.until.map { "until \(UTCTime.iso8601($0))" } ?? "to the end of the scanned period")
                + " (\(TerminalText.sanitize(spot.cause))): those calls are missing from the logs"
        }
    }

    static func appendBlindSpotWarnings(_ spots: [BlindSpot], to out: inout String) {
        guard !spots.isEmpty else { return }
        for warning in blindSpotWarnings(spots) {
            for line in wrapped(warning) { out.append(line + "\n") }
        }
        out.append("\n")
    }

    static func appendColumns(_ table: ReportTable, to out: inout String) {
        let rows = table.allRows
        guard !rows.isEmpty else {
            out.append("No rows.\n")
            return
        }
        let cells = rows.map { row in
            row.map { cell -> String in
                if case .count(let n) = cell { return NumberText.grouped(n) }
                return TerminalText.sanitize(cell.csv)
            }
        }
        var widths = table.columns.map { TerminalText.width($0.csvName) }
        for row in cells {
            for (i, cell) in row.enumerated() { widths[i] = max(widths[i], TerminalText.width(cell)) }
        }
        func line(_ values: [String], numeric: (Int) -> Bool) {
            let parts = values.enumerated().map { i, value in
                numeric(i) ? TerminalText.padLeft(value, to: widths[i]) : TerminalText.padRight(value, to: widths[i])
            }
            var text = parts.joined(separator: "  ")
            while text.hasSuffix(" ") { text.removeLast() }
            out.append(text + "\n")
        }
        let numericColumns = Set(rows[0].indices.filter { if case .count = rows[0][$0] { true } else { false } })
        guard widths.reduce(2 * (widths.count - 1), +) <= tableWidth else {
            // Too wide for the terminal: one block per row, each value on a
            // line of its own (like psql's expanded display).
            appendExpanded(table.columns.map(\.csvName), cells, to: &out)
            return
        }
        line(table.columns.map(\.csvName), numeric: numericColumns.contains)
        for row in cells { line(row, numeric: numericColumns.contains) }
    }

    /// Rows as blocks of `name  value` lines, separated by a `-[ RECORD n ]-`
    /// line, for tables wider than `tableWidth` (`-f csv` is the wide form).
    static func appendExpanded(_ names: [String], _ rows: [[String]], to out: inout String) {
        let nameWidth = names.reduce(0) { max($0, TerminalText.width($1)) }
        out.append("(one block per row: the columns do not fit in \(tableWidth) columns; -f csv gives one line per row)\n")
        for (n, row) in rows.enumerated() {
            out.append("-[ row \(n + 1) ]-\n")
            for (name, value) in zip(names, row) {
                var line = TerminalText.padRight(name, to: nameWidth) + "  " + value
                while line.hasSuffix(" ") { line.removeLast() }
                out.append(line + "\n")
            }
        }
    }

    static func prometheus(table: ReportTable, summary: ScanSummary, blindSpots: [BlindSpot]) -> String {
        var out = ""
        let rows = table.allRows
        let metric = "trailscan_" + table.name.map { $0.isUppercase ? "_" + $0.lowercased() : String($0) }.joined()
        for (index, column) in table.columns.enumerated() {
            guard rows.contains(where: { if case .count = $0[index] { true } else { false } }) else { continue }
            let name = metric + "_" + column.csvName
            out.append("# HELP \(name) \(column.csvName) per row of the \(table.name) report.\n# TYPE \(name) gauge\n")
            for row in rows {
                guard case .count(let value) = row[index] else { continue }
                let labels = zip(table.columns, row).compactMap { column, cell -> String? in
                    if case .count = cell { return nil }
                    return "\(column.csvName)=\"\(labelValue(cell.csv))\""
                }
                out.append("\(name){\(labels.joined(separator: ","))} \(value)\n")
            }
        }
        out.append("# HELP trailscan_kms_blind_spots Windows in which a trail excluded KMS events (see the warnings).\n")
        out.append("# TYPE trailscan_kms_blind_spots gauge\ntrailscan_kms_blind_spots \(blindSpots.count)\n")
        out.append("# HELP trailscan_records Records counted by the last scan.\n# TYPE trailscan_records gauge\n")
        out.append("trailscan_records \(summary.records)\n")
        return out
    }
}
