// `--inventory FILE`, shared by `scan` and `merge`: the keys that exist, for
// `--report idle` (docs/audit.md, "Idle keys"). An input of the answer, not
// of the scan: a partial never holds it, so give it where the answer is
// rendered (to `merge`, not to the shards).

import ArgumentParser
import Foundation
import TrailScanCore

struct InventoryOption: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "With --report idle: the keys that exist, as the JSON of `aws kms list-keys` and/or `describe-key` (one output, an array of outputs, or an object with Keys and KeyMetadata), or of AWS Config (a configuration snapshot or `select-resource-config` of AWS::KMS::Key); keys with no event are then listed, with their KeyManager and KeyState.",
            valueName: "file"),
        completion: .file())
    var inventory: String?

    func validate(for report: ReportKind, format: OutputFormat) throws {
        guard inventory != nil else { return }
        if report != .idle {
            throw ValidationError("--inventory applies to --report idle only (this is --report \(report.rawValue)).")
        }
        if format == .partial {
            throw ValidationError("--inventory does not apply to --format partial: a part holds the scan only; give --inventory to merge.")
        }
    }

    /// The inventory read from the file, nil without the option. A file
    /// that cannot be read or is not an inventory is a usage error (exit 2)
    /// naming the file.
    func load() throws -> KeyInventory? {
        guard let path = inventory else { return nil }
        var data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw CommandFailure.usage("--inventory: " + InputFile.whyUnreadable(path))
        }
        do {
            return try data.withUnsafeMutableBytes { bytes throws(KeyInventoryError) in
                try KeyInventory(json: UnsafeRawBufferPointer(bytes))
            }
        } catch {
            throw CommandFailure.usage("--inventory \(path): \(error)")
        }
    }
}
