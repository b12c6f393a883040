// A minimal SQLite wrapper for the --db store: open, execute, prepared
// statements with text/integer bindings, and transactions. SQLite itself is
// loaded at run time (see Sources/CSQLite).

import CSQLite

/// A failed SQLite call (or SQLite missing), with its message.
public struct SQLiteError: Error, CustomStringConvertible {
    public var description: String
}

final class SQLiteDatabase {
    private var handle: OpaquePointer?

    init(path: String) throws {
        var message = [CChar](repeating: 0, count: 256)
        guard csqlite_load(&message, message.count) == 0 else {
            let reason = message.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            throw SQLiteError(description: "SQLite is not available (\(reason)); install libsqlite3-0")
        }
        let flags = Int32(CSQLITE_OPEN_READWRITE | CSQLITE_OPEN_CREATE | CSQLITE_OPEN_FULLMUTEX)
        let rc = csqlite_open_v2(path, &handle, flags)
        guard rc == Int32(CSQLITE_OK) else {
            let reason = handle.map { String(cString: csqlite_errmsg($0)) } ?? "cannot open"
            if let handle { csqlite_close(handle) }
            throw SQLiteError(description: reason)
        }
        csqlite_busy_timeout(handle, 10_000)
    }

    deinit { if let handle { csqlite_close(handle) } }

    /// Runs SQL with no results (several statements allowed).
    func execute(_ sql: String) throws {
        var error: UnsafeMutablePointer<CChar>?
        if csqlite_exec(handle, sql, &error) != Int32(CSQLITE_OK) {
            let message = error.map { String(cString: $0) } ?? "error"
            csqlite_free(error)
            throw SQLiteError(description: message)
        }
    }

    /// Runs `body` in a transaction: committed if it returns, rolled back if it throws.
    func transaction<R>(_ body: () throws -> R) throws -> R {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// A value to bind to a `?` parameter.
    enum Value {
        case text(String)
        case integer(Int64)
    }

    /// Runs one statement with `parameters`, calling `row` for each result row.
    func query(_ sql: String, _ parameters: [Value] = [], row: ((Row) throws -> Void)? = nil) throws {
        var statement: OpaquePointer?
        guard csqlite_prepare_v2(handle, sql, &statement) == Int32(CSQLITE_OK) else { throw lastError() }
        defer { csqlite_finalize(statement) }
        for (i, parameter) in parameters.enumerated() {
            let index = Int32(i + 1)
            switch parameter {
            case .text(let text): csqlite_bind_text(statement, index, text)
            case .integer(let value): csqlite_bind_int64(statement, index, value)
            }
        }
        while true {
            let rc = csqlite_step(statement)
            if rc == Int32(CSQLITE_DONE) { return }
            guard rc == Int32(CSQLITE_ROW) else { throw lastError() }
            try row?(Row(statement: statement))
        }
    }

    struct Row {
        let statement: OpaquePointer?

        func text(_ column: Int32) -> String {
            guard let bytes = csqlite_column_text(statement, column) else { return "" }
            return String(cString: bytes)
        }

        func integer(_ column: Int32) -> Int64 { csqlite_column_int64(statement, column) }
    }

    private func lastError() -> SQLiteError {
        SQLiteError(description: String(cString: csqlite_errmsg(handle)))
    }
}
