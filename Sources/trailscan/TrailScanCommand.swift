import ArgumentParser
import TrailScanCore
import TrailScanIO

#if canImport(Glibc)
import Glibc
#endif

struct TrailScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trailscan",
        abstract: "Scan AWS CloudTrail logs on disk and count how each KMS key was used.",
        discussion: HelpText.paragraphs("""
            Reads the gzipped JSON log objects a trail delivers to S3 (synced to \
            disk with `aws s3 sync`, or mounted), and reports, per KMS key and \
            per operation, how many calls were made and how many failed.

            Exit status: 0 when every file was read, 1 when some files failed \
            (the results of the others are still printed), 2 for usage errors.
            """),
        // The inflater `--inflater auto` would run, e.g. "trailscan 0.1.0
        // (inflater: isal 2.30 / zlib 1.2.13)". Computed once, on first use.
        version: "trailscan \(TrailScanVersion.current) (inflater: \(Inflater.versionSummary))",
        subcommands: [ScanCommand.self, MergeCommand.self, GenerateCommand.self, VerifyCommand.self],
        defaultSubcommand: ScanCommand.self
    )

    /// Exit codes (see `discussion`).
    enum Status {
        static let success: Int32 = 0
        static let someInputFailed: Int32 = 1
        static let usage: Int32 = 2
    }

    /// Parses the command line, runs the command, and returns the exit code.
    /// ArgumentParser's own usage errors (exit 64) become 2, as documented.
    static func runAndExit() -> Int32 {
        do {
            var command = try parseAsRoot()
            try command.run()
            return Status.success
        } catch let exit as ExitCode {
            return exit.rawValue
        } catch let failure as CommandFailure {
            StandardError.write("trailscan: \(failure.message)\n")
            return failure.status
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                StandardOutput.write(message.isEmpty ? "" : message + "\n")
                return Status.success
            }
            guard code == .validationFailure else {
                if !message.isEmpty { StandardError.write(message + "\n") }
                return code.rawValue
            }
            // A usage error: one line that says what is wrong and where to
            // look, not ArgumentParser's usage block.
            let reason = Self.oneLine(Self.message(for: error))
            let sentence = reason.hasSuffix(".") ? reason : reason + "."
            StandardError.write("trailscan: \(sentence) See 'trailscan \(subcommandName()) --help'.\n")
            return Status.usage
        }
    }
}

extension TrailScanCommand {
    /// ArgumentParser's usage message on one line. Its first line is the
    /// sentence; for an option with six or more values it ends with "Please
    /// provide one of the following:" and lists them below as "  - value"
    /// lines, which are folded in here (keeping only the first line printed
    /// that sentence with an empty list).
    static func oneLine(_ message: String) -> String {
        let lines = message.split(separator: "\n")
        guard var line = lines.first.map(String.init) else { return "invalid usage" }
        let values = lines.dropFirst().compactMap { item -> String? in
            let trimmed = item.drop { $0 == " " }
            return trimmed.hasPrefix("- ") ? "'\(trimmed.dropFirst(2))'" : nil
        }
        let marker = " of the following:"
        if !values.isEmpty, line.hasSuffix(marker) {
            line.removeLast(marker.count)
            line += " of " + values.dropLast().joined(separator: ", ") + " or " + values.last!
        }
        return line
    }
}

/// Text of `discussion`s.
enum HelpText {
    /// `text` as written (paragraphs separated by a blank line) for
    /// `--help`; for `--experimental-dump-help`, which `swift package plugin
    /// generate-manual` reads, with each blank line replaced by the mdoc
    /// paragraph macro `.Pp`. The plugin copies a discussion verbatim into
    /// the manual page, where a blank line is an error ("mdoc warning: Empty
    /// input line" from `man --warnings`, `groff -ww`).
    static func paragraphs(_ text: String) -> String {
        guard CommandLine.arguments.contains("--experimental-dump-help") else { return text }
        return text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.isEmpty ? ".Pp" : $0 }.joined(separator: "\n")
    }
}

/// The subcommand the command line names (for pointing at its help).
private func subcommandName() -> String {
    let names = ["scan", "merge", "generate", "verify"]
    return CommandLine.arguments.dropFirst().first { names.contains($0) } ?? "scan"
}

/// An error that ends the command with a one-line message and a status.
struct CommandFailure: Error {
    var message: String
    var status: Int32

    static func usage(_ message: String) -> CommandFailure {
        CommandFailure(message: message, status: TrailScanCommand.Status.usage)
    }
}
