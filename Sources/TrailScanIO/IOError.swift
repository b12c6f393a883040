// Errors of the I/O edge, each naming the operation that failed.

/// A failure to read or decode one input file.
public struct InputError: Error, Sendable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) { self.description = description }

    static func system(_ operation: String, _ error: Errno) -> InputError {
        InputError("\(operation): \(error)")
    }
}
