// ISA-L's igzip as a GzipDecoder: the same streaming contract and the same
// error wording as the zlib path (GzipInflater), at about twice the speed.
// ISA-L is loaded at run time (see Sources/CISAL), so this file builds and
// runs whether or not libisal-dev was installed; `isAvailable` says which.

import CISAL

/// Inflates gzip members with ISA-L's `isal_inflate`, one reusable
/// `inflate_state` (about 85 KiB, on the heap, at a fixed address) per worker.
///
/// ISA-L parses the gzip header and checks the CRC-32 and ISIZE of the
/// trailer itself (`crc_flag = ISAL_GZIP`). Where it is laxer or terser than
/// zlib, this class makes the outcome match zlib's, so both inflaters give
/// the same report and the same failure for the same file:
/// - zlib rejects reserved header flag bits and reports the header fields
///   as soon as it has 2 (magic) and 4 (method, flags) bytes; ISA-L waits
///   for 10 and ignores reserved flags. The first 4 bytes are checked here.
/// - ISA-L has one code for both trailer fields; the trailer bytes (the last
///   8 consumed) tell which of CRC-32 and ISIZE differs. (A file cut inside
///   its trailer is truncated, whatever the trailer bytes present say, with
///   either inflater.)
/// - ISA-L decodes ahead into its own buffer and may take a member's last
///   input bytes while output is still pending. A caller would then see
///   empty input and, at the end of the file, report a truncated member.
///   So when a call fills `output` and uses up `input` without ending the
///   member, one byte is left in `input` as if unconsumed, and skipped on
///   the next call; it is released once ISA-L has nothing more to write.
public final class IsalInflater: GzipDecoder {
    /// Whether ISA-L can run in this process: built with libisal-dev
    /// installed, and libisal.so.2 found at run time.
    public static var isAvailable: Bool { cisal_status() == CISAL_STATUS_AVAILABLE }

    /// Why ISA-L cannot run, in one line naming the install step; nil when it can.
    public static var unavailableReason: String? {
        switch cisal_status() {
        case CISAL_STATUS_AVAILABLE:
            return nil
        case CISAL_STATUS_NOT_BUILT:
            return "this trailscan was built without ISA-L support; "
                + "install libisal-dev (apt-get install libisal-dev) and rebuild"
        default:
            let library = String(cString: cisal_library_name())
            let detail = String(cString: cisal_status_detail())
            return "ISA-L is not available: cannot load \(library) (\(detail)); "
                + "install it with apt-get install libisal-dev"
        }
    }

    private let handle: OpaquePointer
    /// Bytes of the current member ISA-L consumed (only needed while
    /// `headerCount < 4`).
    private var memberConsumed = 0
    /// The first bytes of the member, little-endian, and how many are known.
    private var headerBytes: UInt32 = 0
    private var headerCount = 0
    /// The last bytes ISA-L consumed: the trailer once a member ended.
    private var trailer = GzipTrailer()
    /// Bytes at the front of the caller's input that ISA-L already consumed
    /// (0 or 1; see the type's doc).
    private var heldBack = 0

    /// A new inflater, or nil when ISA-L is not available (see
    /// `unavailableReason`) or the state cannot be allocated.
    public init?() {
        guard let handle = cisal_inflater_create() else { return nil }
        self.handle = handle
    }

    deinit { cisal_inflater_destroy(handle) }

    public func startMember() throws(InputError) {
        cisal_inflater_start_member(handle)
        memberConsumed = 0
        headerBytes = 0
        headerCount = 0
        trailer = GzipTrailer()
        heldBack = 0
    }

    public func inflate(
        _ input: inout UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
    ) throws(InputError) -> (written: Int, progress: GzipProgress) {
        precondition(heldBack <= input.count, "inflate must get back the input it left unconsumed")
        let fresh = UnsafeRawBufferPointer(rebasing: input[heldBack...])
        if headerCount < 4 { try checkHeaderStart(fresh) }

        var consumed = 0
        var written = 0
        var ended: Int32 = 0
        let code = cisal_inflate(
            handle, fresh.baseAddress, fresh.count, output.baseAddress, output.count, &consumed, &written, &ended)
        trailer.append(UnsafeRawBufferPointer(rebasing: fresh[..<consumed]))
        memberConsumed &+= consumed  // at most the input sizes summed: no overflow
        var taken = heldBack + consumed
        heldBack = 0

        guard code == Int32(CISAL_OK) else { throw failure(code, memberEnded: ended != 0) }
        if ended != 0 {
            input = UnsafeRawBufferPointer(rebasing: input[taken...])
            return (written, .memberEnded)
        }
        if consumed == 0 && written == 0 && !fresh.isEmpty && !output.isEmpty {
            // Input and room were there and ISA-L took neither: never seen,
            // but looping on it would hang the worker.
            throw InputError("corrupt gzip data: ISA-L made no progress")
        }
        if taken == input.count && taken > 0 && written == output.count && !output.isEmpty {
            // Output full, input used up, member not ended: ISA-L may hold
            // decoded bytes still. Keep the caller coming back (type doc).
            taken -= 1
            heldBack = 1
        }
        input = UnsafeRawBufferPointer(rebasing: input[taken...])
        return (written, .progressed)
    }

    /// zlib's early header checks, on the member's first 4 bytes as they
    /// arrive: magic once 2 are in, then method and reserved flags once 4 are.
    private func checkHeaderStart(_ fresh: UnsafeRawBufferPointer) throws(InputError) {
        // Bytes before `memberConsumed` were visible to an earlier call, so
        // `headerCount >= min(4, memberConsumed)` and the index is >= 0.
        let visible = min(4, memberConsumed + fresh.count)
        guard visible > headerCount else { return }
        for position in headerCount..<visible {
            headerBytes |= UInt32(fresh[position - memberConsumed]) << (8 * position)
        }
        let before = headerCount
        headerCount = visible
        if before < 2 && visible >= 2 && headerBytes & 0xFFFF != 0x8B1F {
            throw InputError("corrupt gzip data: incorrect header check")
        }
        if visible == 4 {
            if (headerBytes >> 16) & 0xFF != 8 { throw InputError("corrupt gzip data: unknown compression method") }
            if (headerBytes >> 24) & 0xE0 != 0 { throw InputError("corrupt gzip data: unknown header flags set") }
        }
    }

    /// The error for an ISA-L return code, in zlib's words where zlib has them.
    private func failure(_ code: Int32, memberEnded: Bool) -> InputError {
        let reason: String
        switch Int(code) {
        case CISAL_INCORRECT_CHECKSUM where memberEnded:
            // ISA-L has one code for both fields; zlib checks the CRC-32 first.
            reason = trailer.crc != cisal_inflater_crc(handle) ? "incorrect data check" : "incorrect length check"
        case CISAL_INCORRECT_CHECKSUM: reason = "header crc mismatch"
        case CISAL_INVALID_WRAPPER: reason = "incorrect header check"
        case CISAL_UNSUPPORTED_METHOD: reason = "unknown compression method"
        case CISAL_INVALID_BLOCK: reason = "invalid deflate block"
        case CISAL_INVALID_SYMBOL: reason = "invalid literal/length or distance code"
        case CISAL_INVALID_LOOKBACK: reason = "invalid distance too far back"
        case CISAL_NEED_DICT: reason = "needs a preset dictionary"
        case CISAL_NOT_AVAILABLE: reason = "ISA-L is not available"
        default: reason = "ISA-L error \(code)"
        }
        return InputError("corrupt gzip data: \(reason)")
    }
}
