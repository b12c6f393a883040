// The streaming loop, written once: append decoded bytes to a window → scan
// the complete records in it → drop what was consumed → repeat, the last
// call final. FileScanner runs it over inflated chunks; the tests, the fuzz
// targets and the benchmarks run it over documents held in memory
// (`scanDocument`), so all of them exercise the same contract.

/// One document's scan across the chunks of a window.
public struct RecordStream {
    private var scanner = TrailScanner()

    public init() {}

    /// Bytes of the document consumed so far (for error offsets).
    public var streamOffset: Int { scanner.streamOffset }

    /// Scans the complete records in `window` into `tally` and removes them
    /// from the window.
    ///
    /// - Parameter isFinal: true when no byte follows what the window holds;
    ///   the document must then end here.
    /// - Returns: true when nothing could be consumed and the window has no
    ///   spare room: one record does not fit, and the caller must grow the
    ///   window (or fail the document) before appending more.
    /// - Throws: `ScanError` for a document that is not a valid trail log.
    public mutating func advance(_ window: PaddedBuffer, isFinal: Bool, into tally: UsageTally) throws(ScanError) -> Bool {
        let available = window.count
        let consumed = try scanner.scan(window, isFinal: isFinal, into: tally)
        // The scanner's contract, cheap to check once per window.
        precondition(consumed >= 0 && consumed <= available, "scan consumed \(consumed) of \(available) bytes")
        precondition(!isFinal || scanner.isComplete, "a final scan succeeded on an incomplete document")
        window.removeFirst(consumed)
        return consumed == 0 && window.spareCapacity == 0
    }

    /// Scans a whole `document` held in memory, cut into chunks of
    /// `chunkSizes` (used in turn, cycled; `Int.max` = the rest), into
    /// `tally`: the file is committed on success and discarded on error, as
    /// a worker does with one file.
    ///
    /// - Parameter separateFinalCall: scan every chunk as non-final, then
    ///   end with a final call that adds nothing (an IO loop that learns of
    ///   the end of the file after its last read).
    public static func scanDocument(
        _ document: UnsafeRawBufferPointer, chunkSizes: [Int] = [Int.max], separateFinalCall: Bool = false,
        into tally: UsageTally, window: PaddedBuffer = PaddedBuffer(capacity: 16)
    ) throws(ScanError) {
        precondition(!chunkSizes.isEmpty && chunkSizes.allSatisfy { $0 > 0 })
        var stream = RecordStream()
        window.removeAll()
        var position = 0
        var turn = 0
        do throws(ScanError) {
            repeat {
                let size = chunkSizes[turn % chunkSizes.count]
                turn += 1
                let end = size >= document.count - position ? document.count : position + size
                window.append(UnsafeRawBufferPointer(rebasing: document[position..<end]))
                position = end
                _ = try stream.advance(window, isFinal: !separateFinalCall && position == document.count, into: tally)
            } while position < document.count
            if separateFinalCall { _ = try stream.advance(window, isFinal: true, into: tally) }
        } catch {
            tally.discardFile()
            throw error
        }
        tally.commitFile()
    }
}
