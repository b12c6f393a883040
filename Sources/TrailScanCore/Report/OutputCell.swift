// Cells on their way into CSV, NDJSON and JSON text. A `--by` report's
// values arrive as interned bytes; most are plain ASCII (ARNs, names) and are
// copied as they are. Anything else takes the String path of `ReportCell`,
// so both give the same text byte for byte (invalid UTF-8 repaired the same
// way, the same escapes).

/// One cell to write: the bytes of a text value, or a `ReportCell`.
enum OutputCell {
    case bytes(UnsafeRawBufferPointer)
    case cell(ReportCell)

    /// Appends the cell as a CSV field (quoted when it must be, RFC 4180).
    func appendCSV(to out: inout [UInt8]) {
        switch self {
        case .bytes(let bytes):
            if Self.isPlain(bytes, special: UInt8(ascii: ",")) {
                Self.appendBytes(bytes, to: &out)
            } else {
                Self.appendCSV(String(decoding: bytes, as: UTF8.self), to: &out)
            }
        case .cell(.count(let n)):
            Self.appendDecimal(n, to: &out)
        case .cell(let cell):
            Self.appendCSV(cell.csv, to: &out)
        }
    }

    /// Appends the cell as a JSON value.
    func appendJSON(to out: inout [UInt8]) {
        switch self {
        case .bytes(let bytes):
            if Self.isPlain(bytes, special: UInt8(ascii: "\\")) {
                out.append(UInt8(ascii: "\""))
                Self.appendBytes(bytes, to: &out)
                out.append(UInt8(ascii: "\""))
            } else {
                out.append(contentsOf: JSONText.string(String(decoding: bytes, as: UTF8.self)).utf8)
            }
        case .cell(.count(let n)):
            Self.appendDecimal(n, to: &out)
        case .cell(let cell):
            out.append(contentsOf: cell.json.utf8)
        }
    }

    /// True when every byte is printable ASCII (0x20...0x7E) other than
    /// `"` and `special` (`,` for CSV, `\\` for JSON): text that CSV and
    /// JSON both take as it is. (CSV would also take control characters
    /// other than CR and LF, and JSON DEL; those rare values take the String
    /// path, which gives the same text.) Eight bytes at a time.
    @inline(__always)
    static func isPlain(_ bytes: UnsafeRawBufferPointer, special: UInt8) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        /// High bit set in each byte of `word` equal to `byte`.
        @inline(__always) func equal(_ word: UInt64, _ byte: UInt8) -> UInt64 {
            let x = word ^ (ones &* UInt64(byte))
            return (x &- ones) & ~x & highs
        }
        @inline(__always) func plain(_ word: UInt64) -> Bool {
            // Bytes < 0x20, >= 0x7F, '"' or `special`.
            let low = (word &- ones &* 0x20) & ~word & highs
            let high = (word | ((word & ~highs) &+ ones)) & highs  // >= 0x80, or 0x7F
            return low | high | equal(word, UInt8(ascii: "\"")) | equal(word, special) == 0
        }
        var i = 0
        while i + 8 <= bytes.count {
            if !plain(bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)) { return false }
            i += 8
        }
        while i < bytes.count {
            let b = bytes[i]
            if b < 0x20 || b >= 0x7F || b == UInt8(ascii: "\"") || b == special { return false }
            i += 1
        }
        return true
    }

    @inline(__always)
    static func appendBytes(_ bytes: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        out.append(contentsOf: UnsafeBufferPointer(start: bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), count: bytes.count))
    }

    static func appendDecimal(_ value: UInt64, to out: inout [UInt8]) {
        guard value >= 10 else {
            out.append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        var digits: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)  // 20 digits at most, in 32 bytes
        var n = value
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            while n > 0 {
                buffer[31 - count] = UInt8(ascii: "0") + UInt8(n % 10)
                n /= 10
                count += 1
            }
            out.append(contentsOf: buffer[(32 - count)...])
        }
    }

    private static func appendCSV(_ field: String, to out: inout [UInt8]) {
        var text = ""
        ReportRenderer.appendCSVField(field, to: &text)
        out.append(contentsOf: text.utf8)
    }
}

extension ReportTable {
    /// Writes every row into `stream`, each as `prefix`, its cells with
    /// `names[i]` before cell i (CSV: none) and separated by `separator`,
    /// then `suffix`; `json` chooses JSON values over CSV fields. Rows go out
    /// a megabyte at a time.
    func writeRows(
        to stream: ReportStream, json: Bool, names: [[UInt8]], separator: [UInt8], prefix: (first: [UInt8], other: [UInt8]),
        suffix: [UInt8]
    ) {
        var out: [UInt8] = []
        out.reserveCapacity((1 << 20) + (1 << 12))
        func append(_ cell: OutputCell, _ i: Int) {
            if i > 0 { out += separator }
            if !names.isEmpty { out += names[i] }
            if json { cell.appendJSON(to: &out) } else { cell.appendCSV(to: &out) }
        }
        func endRow() {
            out += suffix
            if out.count >= 1 << 20 {
                stream.append(out)
                out.removeAll(keepingCapacity: true)
            }
        }
        if let grouping {
            // The hot loop of a `--by` report with millions of rows: no
            // cells built, values copied from the pool.
            let width = grouping.rows.dimensions.count
            let order = grouping.rows.order
            grouping.rows.withReader { reader in
                for (n, row) in order.enumerated() {
                    if n + 48 < order.count { reader.prefetch(row: order[n + 48], step: 0) }
                    if n + 32 < order.count { reader.prefetch(row: order[n + 32], step: 1) }
                    if n + 16 < order.count { reader.prefetch(row: order[n + 16], step: 2) }
                    out += n == 0 ? prefix.first : prefix.other
                    for column in 0..<width {
                        reader.withValue(row: row, column: column) { append(.bytes($0), column) }
                    }
                    var column = width
                    grouping.forEachCount(row) { cell in
                        append(.cell(cell), column)
                        column += 1
                    }
                    endRow()
                }
            }
        } else {
            for (n, row) in rows.enumerated() {
                out += n == 0 ? prefix.first : prefix.other
                for (i, cell) in row.enumerated() { append(.cell(cell), i) }
                endRow()
            }
        }
        stream.append(out)
    }
}
