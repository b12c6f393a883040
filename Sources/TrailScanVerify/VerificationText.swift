// A verification report as text: a table for people, JSON and CSV for tools.
// No Foundation: strings are built and escaped here.

import TrailScanCore

/// Renders `VerificationReport`s.
public enum VerificationText {
    /// What hashes and chain prove without keys, said once wherever the
    /// report goes.
    public static let noKeysNote =
        "signatures not checked (no --public-keys): the hashes and the chain prove the files are consistent with "
        + "their digests, not that CloudTrail wrote them; save the keys with 'aws cloudtrail list-public-keys' "
        + "to check authorship"

    /// One line for stderr: the counts that matter.
    public static func summary(_ report: VerificationReport) -> String {
        let t = report.totals
        var parts = [
            "\(t.digestsRead) digests (\(t.backfillDigestsRead) backfill) in \(report.trails.count) trail chains",
            "\(t.logFilesVerified) log files verified", "\(t.missing.count) missing", "\(t.modified.count) modified",
            "\(t.extra.count) extra", "\(t.chainBreaks.count) chain breaks", "\(t.loggingGaps.count) logging gaps",
            "\(t.hourGaps.count) hour gaps",
        ]
        if report.publicKeysGiven {
            parts.append(
                "signatures \(t.signaturesValid) valid, \(t.signatureFailures.count) failed, "
                    + "\(t.signaturesUnchecked.count) not checkable")
        } else {
            parts.append("signatures not checked")
        }
        if !report.failedFiles.isEmpty { parts.append("\(report.failedFiles.count) failed files") }
        return parts.joined(separator: ", ")
    }

    // MARK: - Table

    public static func table(_ report: VerificationReport) -> String {
        var out = ""
        func line(_ s: String) { out += s + "\n" }
        for t in report.trails {
            let org = t.trail.organization.map { "organization \($0)  " } ?? ""
            line("trail \(t.trail.trail) (home \(t.trail.homeRegion))  \(org)account \(t.trail.account)  region \(t.trail.region)")
            line("  \(t.isIntact ? "intact" : "DAMAGED"): \(t.digestsRead) digests (\(t.backfillDigestsRead) backfill), "
                + "\(t.logFilesVerified) log files verified")
            for k in t.missing { line("  missing log file     \(k)") }
            for m in t.modified {
                line("  modified log file    \(m.path)  (digest says \(m.expected.prefix(16))…, file is \(m.actual.prefix(16))…)")
            }
            for p in t.extra { line("  extra log file       \(p)  (listed by no digest)") }
            for b in t.chainBreaks {
                switch b.kind {
                case .previousMissing:
                    let hours = b.hoursWithoutDigest > 1 ? " (\(b.hoursWithoutDigest) hours without a digest)" : ""
                    line("  chain break          digest missing: \(b.previous)\(hours), named by \(b.digest)")
                case .previousAltered:
                    line("  chain break          digest altered: \(b.previousPath ?? b.previous) (its SHA-256 differs from the one in \(b.digest))")
                }
            }
            if t.logsOfMissingDigests > 0 {
                line("  unverifiable         \(t.logsOfMissingDigests) log files delivered when a missing digest would have listed them")
            }
            for g in t.loggingGaps {
                line("  logging gap          \(UTCTime.iso8601(g.from)) to \(UTCTime.iso8601(g.to)) (a starting digest: logging or validation restarted)")
            }
            for g in t.hourGaps {
                line("  hour gap             \(UTCTime.iso8601(g.from)) to \(UTCTime.iso8601(g.to)): \(g.hours) hour\(g.hours == 1 ? "" : "s") without a digest")
            }
            for k in t.chainContinuesBefore { line("  chain continues      before the files read (first digest names \(k))") }
            if t.notCoveredByDigests > 0 {
                line("  not covered          \(t.notCoveredByDigests) log files outside the digests' hours (after the newest, before the first, or in a logging gap)")
            }
            for k in t.signatureFailures { line("  SIGNATURE FAILED     \(k)") }
            if report.publicKeysGiven {
                line("  signatures           \(t.signaturesValid) valid, \(t.signatureFailures.count) failed, \(t.signaturesUnchecked.count) not checkable")
                for u in t.signaturesUnchecked { line("    not checkable      \(u.digest): \(u.reason)") }
            }
        }
        if !report.logsWithoutDigests.isEmpty {
            line("log files without any digest for their account and region: \(report.logsWithoutDigests.count) (not verifiable)")
            for p in report.logsWithoutDigests.prefix(20) { line("  \(p)") }
            if report.logsWithoutDigests.count > 20 { line("  … and \(report.logsWithoutDigests.count - 20) more") }
        }
        for f in report.failedFiles { line("failed: \(f.path): \(f.reason)") }
        if !report.publicKeysGiven { line("note: " + noKeysNote) }
        line(report.isIntact ? "verdict: intact" : "verdict: DAMAGED (missing, modified, extra, broken or unreadable files above)")
        return out
    }

    // MARK: - JSON

    public static func json(_ report: VerificationReport) -> String {
        var w = Writer()
        w.open("{")
        w.field("intact", report.isIntact)
        w.field("publicKeysGiven", report.publicKeysGiven)
        if !report.publicKeysGiven { w.field("note", noKeysNote) }
        w.key("trails")
        w.open("[")
        for t in report.trails {
            w.open("{")
            w.field("organization", t.trail.organization)
            w.field("account", t.trail.account)
            w.field("region", t.trail.region)
            w.field("trail", t.trail.trail)
            w.field("homeRegion", t.trail.homeRegion)
            w.field("intact", t.isIntact)
            w.field("digestsRead", t.digestsRead)
            w.field("backfillDigestsRead", t.backfillDigestsRead)
            w.field("logFilesVerified", t.logFilesVerified)
            w.strings("missing", t.missing)
            w.key("modified")
            w.open("[")
            for m in t.modified {
                w.open("{")
                w.field("key", m.key)
                w.field("path", m.path)
                w.field("expected", m.expected)
                w.field("actual", m.actual)
                w.field("digest", m.digest)
                w.close("}")
            }
            w.close("]")
            w.strings("extra", t.extra)
            w.key("chainBreaks")
            w.open("[")
            for b in t.chainBreaks {
                w.open("{")
                w.field("kind", b.kind.rawValue)
                w.field("digest", b.digest)
                w.field("previous", b.previous)
                w.field("previousPath", b.previousPath)
                w.field("hoursWithoutDigest", b.hoursWithoutDigest)
                w.close("}")
            }
            w.close("]")
            for (name, gaps) in [("loggingGaps", t.loggingGaps), ("hourGaps", t.hourGaps)] {
                w.key(name)
                w.open("[")
                for g in gaps {
                    w.open("{")
                    w.field("from", UTCTime.iso8601(g.from))
                    w.field("to", UTCTime.iso8601(g.to))
                    w.field("hours", g.hours)
                    w.field("after", g.after)
                    w.field("before", g.before)
                    w.close("}")
                }
                w.close("]")
            }
            w.strings("chainContinuesBefore", t.chainContinuesBefore)
            w.field("notCoveredByDigests", t.notCoveredByDigests)
            w.field("logsOfMissingDigests", t.logsOfMissingDigests)
            w.key("signatures")
            w.open("{")
            w.field("checked", report.publicKeysGiven)
            w.field("valid", t.signaturesValid)
            w.strings("failed", t.signatureFailures)
            w.key("notCheckable")
            w.open("[")
            for u in t.signaturesUnchecked {
                w.open("{")
                w.field("digest", u.digest)
                w.field("reason", u.reason)
                w.close("}")
            }
            w.close("]")
            w.close("}")
            w.close("}")
        }
        w.close("]")
        w.strings("logsWithoutDigests", report.logsWithoutDigests)
        w.key("failedFiles")
        w.open("[")
        for f in report.failedFiles {
            w.open("{")
            w.field("path", f.path)
            w.field("reason", f.reason)
            w.close("}")
        }
        w.close("]")
        w.close("}")
        return w.out + "\n"
    }

    // MARK: - CSV

    /// One row per finding (and a `summary` row per trail), RFC 4180.
    public static func csv(_ report: VerificationReport) -> String {
        var out = "organization,account,region,trail,home_region,finding,object,detail\r\n"
        func row(_ t: TrailID?, _ finding: String, _ object: String, _ detail: String) {
            let cells = [
                t?.organization ?? "", t?.account ?? "", t?.region ?? "", t?.trail ?? "", t?.homeRegion ?? "", finding,
                object, detail,
            ]
            out += cells.map(csvCell).joined(separator: ",") + "\r\n"
        }
        for t in report.trails {
            row(
                t.trail, "summary", "",
                "digests=\(t.digestsRead) backfill=\(t.backfillDigestsRead) verified=\(t.logFilesVerified) intact=\(t.isIntact)")
            for k in t.missing { row(t.trail, "missing", k, "") }
            for m in t.modified { row(t.trail, "modified", m.path, "expected \(m.expected) actual \(m.actual)") }
            for p in t.extra { row(t.trail, "extra", p, "listed by no digest") }
            for b in t.chainBreaks {
                row(t.trail, "chain-break", b.previousPath ?? b.previous, "\(b.kind.rawValue) named by \(b.digest)")
            }
            for g in t.loggingGaps { row(t.trail, "logging-gap", g.before, "\(UTCTime.iso8601(g.from)) to \(UTCTime.iso8601(g.to))") }
            for g in t.hourGaps {
                row(t.trail, "hour-gap", g.before, "\(UTCTime.iso8601(g.from)) to \(UTCTime.iso8601(g.to)) hours=\(g.hours)")
            }
            for k in t.signatureFailures { row(t.trail, "signature-failed", k, "") }
            for u in t.signaturesUnchecked { row(t.trail, "signature-not-checkable", u.digest, u.reason) }
        }
        for p in report.logsWithoutDigests { row(nil, "no-digest", p, "no digest for its account and region") }
        for f in report.failedFiles { row(nil, "failed-file", f.path, f.reason) }
        return out
    }

    private static func csvCell(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingAll("\"", with: "\"\"") + "\""
    }

    /// A compact JSON writer (commas handled by nesting state).
    private struct Writer {
        var out = ""
        var first = [true]

        mutating func separator() {
            if first[first.count - 1] { first[first.count - 1] = false } else { out += "," }
        }
        mutating func open(_ bracket: String) {
            if !out.hasSuffix(":") { separator() }
            out += bracket
            first.append(true)
        }
        mutating func close(_ bracket: String) {
            first.removeLast()
            out += bracket
        }
        mutating func key(_ name: String) {
            separator()
            out += quoted(name) + ":"
        }
        mutating func field(_ name: String, _ value: String?) {
            key(name)
            out += value.map(quoted) ?? "null"
        }
        mutating func field(_ name: String, _ value: Int) {
            key(name)
            out += String(value)
        }
        mutating func field(_ name: String, _ value: Bool) {
            key(name)
            out += value ? "true" : "false"
        }
        mutating func strings(_ name: String, _ values: [String]) {
            key(name)
            out += "[" + values.map(quoted).joined(separator: ",") + "]"
        }
        func quoted(_ s: String) -> String {
            var r = "\""
            for u in s.unicodeScalars {
                switch u {
                case "\"": r += "\\\""
                case "\\": r += "\\\\"
                case "\n": r += "\\n"
                case "\r": r += "\\r"
                case "\t": r += "\\t"
                case _ where u.value < 0x20:
                    let hex = String(u.value, radix: 16)
                    r += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                default: r.unicodeScalars.append(u)
                }
            }
            return r + "\""
        }
    }
}

extension String {
    fileprivate func replacingAll(_ target: Character, with replacement: String) -> String {
        var r = ""
        for c in self { if c == target { r += replacement } else { r.append(c) } }
        return r
    }
}
