// Which inflater `--inflater auto` would run here, with library versions,
// for `trailscan --version`.

import CISAL
import CZlib

extension Inflater {
    /// The version of this inflater's library, or nil when it cannot run:
    /// zlib's from the loaded library (zlibVersion), ISA-L's from the header
    /// the build was compiled against (the loaded libisal.so.2 has the same
    /// ABI: its SONAME).
    package var libraryVersion: String? {
        switch self {
        case .zlib:
            return zlibVersion().map { String(cString: $0) } ?? "unknown"
        case .isal:
            guard isAvailable else { return nil }
            let version = String(cString: cisal_version())
            return version.isEmpty ? "unknown" : version
        }
    }

    /// "isal 2.30 / zlib 1.2.13" when ISA-L runs (the first is what
    /// `--inflater auto` picks), else "zlib 1.2.13; no isal: WHY" with a
    /// short reason.
    package static var versionSummary: String {
        let zlib = "zlib \(Inflater.zlib.libraryVersion ?? "unknown")"
        if let isal = Inflater.isal.libraryVersion { return "isal \(isal) / \(zlib)" }
        let why = cisal_status() == CISAL_STATUS_NOT_BUILT
            ? "built without libisal-dev"
            : "cannot load \(String(cString: cisal_library_name()))"
        return "\(zlib); no isal: \(why)"
    }
}
