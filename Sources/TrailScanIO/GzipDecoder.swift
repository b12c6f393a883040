// The seam between the window loop and the inflater: FileScanner drives any
// GzipDecoder the same way, so zlib and ISA-L are interchangeable per worker.

/// What one `inflate` call achieved.
public enum GzipProgress: Sendable, Equatable {
    /// Output was written or input consumed; call again.
    case progressed
    /// The current gzip member ended (its CRC and length checked out).
    case memberEnded
}

/// A streaming gzip inflater, reused member after member and file after file.
///
/// The contract every implementation keeps, and `FileScanner` relies on:
/// - `startMember()` comes before the first byte of every gzip member.
/// - `inflate` is given the unconsumed rest of the input of the previous call,
///   followed by more bytes of the file; it advances `input` past what it
///   consumed and writes at most `output.count` bytes.
/// - At `.memberEnded`, exactly the member's bytes have been consumed (the
///   next member, or whatever follows, is the rest of `input`).
/// - A call that returns `.progressed` with `input` empty either wrote
///   something or needs more input to go on: at the end of the file, that
///   is a truncated member.
/// - Errors read `corrupt gzip data: ...` with the same reason for the same
///   fault whatever the implementation (zlib's wording).
///
/// One call per window (256 KiB by default), so the dynamic dispatch of an
/// existential costs nothing measurable.
public protocol GzipDecoder: AnyObject {
    /// Prepares for a new gzip member (the first of a file, or the next one
    /// of a multi-member file).
    func startMember() throws(InputError)

    /// Inflates from `input` into `output`, advancing `input` past what was
    /// consumed.
    ///
    /// - Returns: bytes written to `output`, and whether the member ended.
    /// - Throws: `InputError` ("corrupt gzip data: ...") on invalid data.
    func inflate(
        _ input: inout UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
    ) throws(InputError) -> (written: Int, progress: GzipProgress)
}

/// The gzip inflaters trailscan can run.
public enum Inflater: String, Sendable, CaseIterable, CustomStringConvertible {
    /// The system zlib: always built in (the package needs only zlib1g-dev).
    case zlib
    /// Intel's ISA-L (igzip), about twice as fast as zlib on CloudTrail JSON;
    /// available when trailscan was built with libisal-dev installed and
    /// libisal.so.2 loads at run time.
    case isal

    /// ISA-L when it is available, else zlib.
    public static var fastestAvailable: Inflater { IsalInflater.isAvailable ? .isal : .zlib }

    /// Whether this inflater can run in this process.
    public var isAvailable: Bool { self == .zlib || IsalInflater.isAvailable }

    /// Why this inflater cannot run, in one line naming the install step;
    /// nil when it can.
    public var unavailableReason: String? { self == .zlib ? nil : IsalInflater.unavailableReason }

    /// A new inflater of this kind, or nil when it is not available.
    public func makeDecoder() -> (any GzipDecoder)? {
        switch self {
        case .zlib: GzipInflater()
        case .isal: IsalInflater()
        }
    }

    public var description: String { rawValue }
}
