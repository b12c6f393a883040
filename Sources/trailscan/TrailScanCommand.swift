import ArgumentParser

struct TrailScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trailscan",
        abstract: "Scan AWS CloudTrail logs on disk and count KMS key use.",
        subcommands: [ScanCommand.self, GenerateCommand.self],
        defaultSubcommand: ScanCommand.self
    )
}
