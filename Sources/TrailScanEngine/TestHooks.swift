// Points where the end-to-end tests can stop the real binary at a known
// moment, instead of killing it after a sleep and hoping the moment came.
// Each is off unless its environment variable is set; never set them in use.

#if canImport(Glibc)
import Glibc
#endif

enum TestHooks {
    /// `TRAILSCAN_TEST_KILL_IN_FOLDER=N`: the process sends itself SIGKILL
    /// inside the N-th folder transaction of a `--db` run (its folder row
    /// written, its usage rows not yet), as a crash or `kill -9` would.
    private static let killInFolder: Int? = getenv("TRAILSCAN_TEST_KILL_IN_FOLDER").flatMap { Int(String(cString: $0)) }
    nonisolated(unsafe) private static var foldersWritten = 0

    /// Called once per folder transaction of `--db`, on one thread.
    static func folderHalfWritten() {
        guard let killInFolder else { return }
        foldersWritten += 1
        if foldersWritten == killInFolder { kill(getpid(), SIGKILL) }
    }
}
