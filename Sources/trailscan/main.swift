// Entry point: parse, run, and map every outcome to trailscan's exit codes.
#if canImport(Glibc)
import Glibc
#endif

// `trailscan ... | head` must end quietly: ignore SIGPIPE and let writes
// fail with EPIPE, which StandardOutput turns into a clean exit.
signal(SIGPIPE, SIG_IGN)
// A binary built with --static-swift-stdlib reads its command line from
// /proc/self/cmdline: where /proc is not mounted (a bare chroot) it sees no
// arguments at all, not even its own name. Say so instead of guessing.
if CommandLine.arguments.isEmpty {
    StandardError.write("trailscan: cannot read the command line: /proc is not mounted (a static build reads /proc/self/cmdline)\n")
    exit(TrailScanCommand.Status.usage)
}
exit(TrailScanCommand.runAndExit())
