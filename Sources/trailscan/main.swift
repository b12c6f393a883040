// Entry point: parse, run, and map every outcome to trailscan's exit codes.
#if canImport(Glibc)
import Glibc
#endif

// `trailscan ... | head` must end quietly: ignore SIGPIPE and let writes
// fail with EPIPE, which StandardOutput turns into a clean exit.
signal(SIGPIPE, SIG_IGN)
exit(TrailScanCommand.runAndExit())
