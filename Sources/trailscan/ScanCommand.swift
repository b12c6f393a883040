import ArgumentParser

struct ScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "scan", abstract: "Scan a trail.")
    func run() throws {}
}
