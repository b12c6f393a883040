// `--format html` end to end (issue 15, "a report to look at"): the page
// loads in a real headless browser (Debian's `chromium`, which .ci/run
// installs) without console errors or blocked loads, the numbers its charts
// carry in `data-*` attributes equal the JSON report's, hostile input stays
// text, and a screenshot is produced (not compared pixel by pixel). Also:
// `--html-detail` changes no other format, and `merge -f html` refuses
// parts scanned without it.

import Foundation
import Testing
import TrailScanTestSupport

@Suite struct HTMLReportTests {
    static let chromium: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// A key, an error code and a failed file's name that are markup and
    /// script, which would change the page if they were not escaped.
    static let hostileKey = "arn:aws:kms:us-east-1:111122223333:key/<script>document.title='pwned'</script>&\"'"
    static let hostileCode = "<img src=x onerror=\"document.documentElement.setAttribute('data-pwned','1')\">&amp;'"

    /// A generated trail (blind spot, delivery gaps, errors, many keys),
    /// plus a log file with hostile values and a broken file with a hostile name.
    static func makeTrail() throws -> TemporaryFolder {
        let trail = try CLITests.makeTrail(bytes: 2 << 20, seed: 41)  // a seed whose trail has a gap
        func record(_ event: String, _ time: String, errorCode: String?) -> [String: Any] {
            var record: [String: Any] = [
                "eventVersion": "1.08", "eventSource": "kms.amazonaws.com", "eventName": event, "eventTime": time,
                "awsRegion": "us-east-1", "recipientAccountId": "111122223333", "eventID": UUID().uuidString,
                "userIdentity": ["type": "AssumedRole", "arn": "arn:aws:sts::111122223333:assumed-role/<b>r</b>/s",
                                 "accountId": "111122223333"],
                "requestParameters": ["keyId": hostileKey],
            ]
            if let errorCode { record["errorCode"] = errorCode }
            return record
        }
        let document: [String: Any] = ["Records": [
            record("Decrypt", "2026-10-02T01:00:00Z", errorCode: hostileCode),
            record("Encrypt", "2026-10-03T01:00:00Z", errorCode: nil),
        ]]
        let bytes = try JSONSerialization.data(withJSONObject: document)
        try trail.write(
            "AWSLogs/111122223333/CloudTrail/us-east-1/2026/10/02/111122223333_CloudTrail_us-east-1_20261002T0100Z_hostile.json",
            Array(bytes))
        try trail.write("AWSLogs/111122223333/CloudTrail/us-east-1/2026/10/02/<b>broken&'.json.gz", Array("nope".utf8))
        return trail
    }

    // MARK: - The browser

    /// Runs headless Chromium on `page` with its own profile folder (tests
    /// run side by side) and console messages logged to stderr. Chromium's
    /// own background traffic (component updates, metrics, DNS prefetch) is
    /// turned off and every host name resolves to nothing, so a test run
    /// sends nothing off this machine; the page itself loads nothing (CSP).
    static func browse(_ page: String, _ arguments: [String]) throws -> CommandResult {
        let profile = try TemporaryFolder()
        return try runProcess(
            chromium!,
            ["--headless", "--disable-gpu", "--no-sandbox", "--user-data-dir=\(profile.path)", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--disable-default-apps", "--disable-domain-reliability", "--metrics-recording-only",
             "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost", "--proxy-server=127.0.0.1:9",
             "--virtual-time-budget=5000", "--enable-logging=stderr", "--v=0"]
                + arguments + [URL(fileURLWithPath: page).absoluteString])
    }

    /// The console messages Chromium logged (`…:INFO:CONSOLE:…] "…"`).
    static func consoleLines(_ stderr: String) -> [String] {
        stderr.split(separator: "\n").map(String.init).filter { $0.contains(":CONSOLE") }
    }

    // MARK: - Reading the rendered DOM

    /// The start tags named `tag` in `html`, each as its attributes
    /// (values unescaped).
    static func elements(_ tag: String, in html: Substring) -> [[String: String]] {
        var found: [[String: String]] = []
        var rest = html
        while let range = rest.range(of: "<" + tag) {
            rest = rest[range.upperBound...]
            guard let next = rest.first, next == " " || next == ">" else { continue }
            var attributes: [String: String] = [:]
            var i = rest.startIndex
            while i < rest.endIndex, rest[i] != ">" {
                if rest[i] == " " || rest[i] == "/" {
                    i = rest.index(after: i)
                    continue
                }
                let nameEnd = rest[i...].firstIndex { $0 == "=" || $0 == " " || $0 == ">" } ?? rest.endIndex
                let name = String(rest[i..<nameEnd])
                i = nameEnd
                if i < rest.endIndex, rest[i] == "=" {
                    let open = rest.index(i, offsetBy: 2)  // after ="
                    let close = rest[open...].firstIndex(of: "\"")!
                    attributes[name] = unescape(rest[open..<close])
                    i = rest.index(after: close)
                } else {
                    attributes[name] = ""
                }
            }
            found.append(attributes)
        }
        return found
    }

    static func unescape(_ text: Substring) -> String {
        text.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&nbsp;", with: "\u{A0}").replacingOccurrences(of: "&amp;", with: "&")
    }

    /// The section `id` of the DOM.
    static func section(_ id: String, in dom: String) throws -> Substring {
        let start = try #require(dom.range(of: "<section id=\"\(id)\""), "no section \(id)")
        let end = try #require(dom[start.lowerBound...].range(of: "</section>"))
        return dom[start.lowerBound..<end.upperBound]
    }

    // MARK: - The JSON

    struct Row {
        var key, day, code: String
        var calls, errors: Int
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    static func rows(_ report: [String: Any]) throws -> [Row] {
        try (try #require(report["rows"] as? [[String: Any]])).map {
            Row(
                key: try #require($0["key"] as? String), day: try #require($0["day"] as? String),
                code: try #require($0["errorCode"] as? String), calls: try #require($0["calls"] as? Int),
                errors: try #require($0["errors"] as? Int))
        }
    }

    /// Sums of `rows` by `group`, as "calls/errors" text.
    static func sums(_ rows: [Row], by group: (Row) -> String) -> [String: (calls: Int, errors: Int)] {
        var out: [String: (calls: Int, errors: Int)] = [:]
        for row in rows {
            let old = out[group(row)] ?? (0, 0)
            out[group(row)] = (old.calls + row.calls, old.errors + row.errors)
        }
        return out
    }

    static func bytesPrecede(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }

    // MARK: - Tests

    @Test(.enabled(if: chromium != nil, "chromium is not installed (apt-get install chromium; .ci/run installs it)"))
    func pageLoadsCleanlyAndItsNumbersAreTheJSONReports() throws {
        let trail = try Self.makeTrail()
        let out = try TemporaryFolder()
        let page = out.path + "/report.html"
        let scan = try TrailscanBinary.run(["scan", trail.path, "--format", "html", "--output", page, "--quiet"])
        #expect(scan.status == 1, "\(scan.stderr)")  // the broken file, as in every format
        let browser = try Self.browse(page, ["--dump-dom"])
        #expect(browser.status == 0, "\(browser.stderr)")
        let dom = browser.stdout

        // Loaded, no script error, no blocked load, nothing logged, nothing injected.
        let root = try #require(Self.elements("html", in: dom[...]).first)
        #expect(root["data-page-loaded"] == "yes", "the page's load handler did not run")
        #expect(root["data-page-error"] == nil, "page error: \(root["data-page-error"] ?? "")")
        #expect(root["data-pwned"] == nil)
        #expect(Self.consoleLines(browser.stderr).isEmpty, "\(Self.consoleLines(browser.stderr))")
        #expect(dom.contains("<title>trailscan report</title>"))
        #expect(Self.elements("img", in: dom[...]).isEmpty && Self.elements("b", in: dom[...]).isEmpty)

        // The JSON the page names.
        let report = try Self.json(
            try TrailscanBinary.run(["scan", trail.path, "--by", "key,day,error-code", "-f", "json", "--quiet"]).stdout)
        let gapsReport = try Self.json(try TrailscanBinary.run(["scan", trail.path, "--report", "gaps", "-f", "json", "--quiet"]).stdout)
        #expect(dom.contains("trailscan scan PATH --by key,day,error-code -f json"))
        let rows = try Self.rows(report)
        #expect(rows.contains { $0.key == Self.hostileKey && $0.code == Self.hostileCode })

        // Summary: every member but the timings.
        let summary = try #require(report["summary"] as? [String: Any])
        let fields = Self.elements("tr", in: try Self.section("summary", in: dom)).filter { $0["data-field"] != nil }
        #expect(fields.count == summary.count)
        for field in fields {
            let name = field["data-field"]!
            guard !["seconds", "cpuSeconds", "jobs"].contains(name) else { continue }
            if name == "deliveryCopiesFoldedByTrail" {
                let shown = try JSONSerialization.jsonObject(with: Data((field["data-value"] ?? "").utf8)) as? [String: Int]
                #expect(shown != nil && shown! == (summary[name] as? [String: Int]), "summary \(name)")
                continue
            }
            if name == "notes" {
                #expect(field["data-value"] == ((summary["notes"] as? [String]) ?? ["missing"]).joined(separator: "; "))
                continue
            }
            #expect(field["data-value"] == "\(summary[name] ?? "missing")", "summary \(name)")
        }

        // Top keys: totals, and the busiest keys in the JSON's order.
        let byKey = Self.sums(rows) { $0.key }.filter { $0.value.calls > 0 }
        let ranked = byKey.sorted { a, b in
            a.value.calls != b.value.calls ? a.value.calls > b.value.calls : Self.bytesPrecede(a.key, b.key)
        }
        let topKeys = try Self.section("top-keys", in: dom)
        let topSection = try #require(Self.elements("section", in: topKeys).first)
        #expect(topSection["data-total-calls"] == String(rows.map(\.calls).reduce(0, +)))
        #expect(topSection["data-total-errors"] == String(rows.map(\.errors).reduce(0, +)))
        #expect(topSection["data-keys"] == String(byKey.count))
        let bars = Self.elements("div", in: topKeys).filter { $0["data-key"] != nil }
        #expect(bars.count == min(20, ranked.count))
        for (bar, expected) in zip(bars, ranked) {
            #expect(bar["data-key"] == expected.key)
            #expect(bar["data-calls"] == String(expected.value.calls) && bar["data-errors"] == String(expected.value.errors))
        }
        #expect(bars.contains { $0["data-key"] == Self.hostileKey } || ranked.count > 20)

        // Calls per day: all keys, then the six busiest, each day's bar.
        let perDay = try Self.section("per-day", in: dom)
        let charts = perDay.components(separatedBy: "<figure").dropFirst()
        #expect(charts.count == 1 + min(6, ranked.count))
        for (index, chart) in charts.enumerated() {
            let figure = try #require(Self.elements("figure", in: ("<figure" + chart)[...]).first)
            let key: String? = index == 0 ? nil : ranked[index - 1].key
            #expect(figure["data-key"] == key)
            let expected = Self.sums(rows.filter { !$0.day.isEmpty && (key == nil || $0.key == key!) }) { $0.day }
                .filter { $0.value.calls > 0 }
            let days = Self.elements("rect", in: chart[...]).filter { $0["data-day"] != nil }
            #expect(days.count == expected.count, "chart \(index)")
            for day in days {
                let want = try #require(expected[day["data-day"]!])
                #expect(day["data-calls"] == String(want.calls) && day["data-errors"] == String(want.errors))
            }
            #expect(figure["data-total-calls"] == String(expected.values.map(\.calls).reduce(0, +)))
        }

        // Errors by error code.
        let codes = Self.sums(rows) { $0.code }.filter { $0.value.errors > 0 }
        let codeSection = try Self.section("error-codes", in: dom)
        let codeBars = Self.elements("div", in: codeSection).filter { $0["data-error-code"] != nil }
        #expect(codeBars.count == codes.count && codes.count > 1)
        for bar in codeBars {
            #expect(bar["data-errors"] == String(try #require(codes[bar["data-error-code"]!]).errors))
        }
        #expect(codeBars.contains { $0["data-error-code"] == Self.hostileCode })
        #expect(Self.elements("section", in: codeSection).first?["data-total-errors"] == String(rows.map(\.errors).reduce(0, +)))

        // Blind spots and delivery gaps on the time line.
        let timeline = try Self.section("timeline", in: dom)
        let spots = try #require(report["blindSpots"] as? [[String: Any]])
        let gaps = try #require(gapsReport["deliveryGaps"] as? [[String: Any]])
        #expect(!spots.isEmpty && !gaps.isEmpty, "the generated trail has both")
        let drawnSpots = Self.elements("rect", in: timeline).filter { $0["class"] == "blind" }
        let drawnGaps = Self.elements("rect", in: timeline).filter { $0["class"] == "gap" }
        func text(_ value: Any?) -> String { value as? String ?? "" }
        #expect(
            Set(drawnSpots.map { [$0["data-trail"]!, $0["data-account"]!, $0["data-region"]!, $0["data-from"]!, $0["data-until"]!] })
                == Set(spots.map { [text($0["trail"]), text($0["account"]), text($0["region"]), text($0["from"]), text($0["until"])] }))
        #expect(
            Set(drawnGaps.map { [$0["data-account"]!, $0["data-region"]!, $0["data-from"]!, $0["data-until"]!] })
                == Set(gaps.map { [text($0["account"]), text($0["region"]), text($0["from"]), text($0["until"])] }))
        #expect(drawnSpots.count == spots.count && drawnGaps.count == gaps.count)

        // Failed files.
        let failures = try #require(report["failures"] as? [[String: Any]])
        let failed = Self.elements("tr", in: try Self.section("failures", in: dom)).compactMap { $0["data-file"] }
        #expect(failed == failures.map { text($0["file"]) } && failed.count == 1)
        #expect(failed.first?.hasSuffix("<b>broken&'.json.gz") == true)
    }

    @Test(.enabled(if: chromium != nil, "chromium is not installed (apt-get install chromium; .ci/run installs it)"))
    func screenshotIsAPNGOfTheWindowSize() throws {
        let trail = try CLITests.makeTrail(bytes: 1 << 20, seed: 31)
        let out = try TemporaryFolder()
        let page = out.path + "/report.html"
        let png = out.path + "/report.png"
        let scan = try TrailscanBinary.run(["scan", trail.path, "-f", "html", "-o", page, "--quiet"])
        #expect(scan.status == 0, "\(scan.stderr)")
        let browser = try Self.browse(page, ["--screenshot=\(png)", "--window-size=1200,1600", "--hide-scrollbars"])
        #expect(browser.status == 0, "\(browser.stderr)")
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: png)))
        #expect(bytes.count > 10_000, "a screenshot of a whole page of charts is not tiny")
        #expect(bytes.prefix(8) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "PNG signature")
        // IHDR: width and height, big-endian, at bytes 16 and 20.
        func be32(_ at: Int) -> Int { bytes[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
        #expect(bytes.count > 24 && be32(16) == 1200 && be32(20) == 1600)
        if let keep = ProcessInfo.processInfo.environment["TRAILSCAN_KEEP_SCREENSHOT"] {
            try? FileManager.default.removeItem(atPath: keep)
            try FileManager.default.copyItem(atPath: png, toPath: keep)
        }
    }

    /// The checks above can fail: a script error and a load from the
    /// network (refused by the page's policy) are both seen.
    @Test(.enabled(if: chromium != nil, "chromium is not installed (apt-get install chromium; .ci/run installs it)"), arguments: [
        "<script>notDefinedAnywhere();</script>",
        "<img src=\"http://127.0.0.1:9/pixel.png\">",  // loopback only: the page blocks it anyway (CSP)
    ])
    func theBrowserChecksSeeAnErrorOrALoad(injected: String) throws {
        let trail = try CLITests.makeTrail(bytes: 256 << 10, seed: 3)
        let out = try TemporaryFolder()
        let page = out.path + "/report.html"
        _ = try TrailscanBinary.run(["scan", trail.path, "-f", "html", "-o", page, "--quiet"])
        let html = try String(contentsOfFile: page, encoding: .utf8).replacingOccurrences(of: "</body>", with: injected + "</body>")
        try html.write(toFile: page, atomically: true, encoding: .utf8)
        let browser = try Self.browse(page, ["--dump-dom"])
        let root = try #require(Self.elements("html", in: browser.stdout[...]).first)
        #expect(root["data-page-error"] != nil, "the page's error marker missed \(injected)")
        #expect(!Self.consoleLines(browser.stderr).isEmpty, "the console log missed \(injected)")
    }

    // MARK: - Without a browser

    /// `--html-detail` keeps more in the partial and changes no other output.
    @Test(arguments: [[String](), ["--by", "key,principal"], ["--by", "error-code", "--times"], ["--report", "idle"]])
    func htmlDetailChangesNoOtherFormat(options: [String]) throws {
        let trail = try CLITests.makeTrail(bytes: 1 << 20, seed: 37)
        for format in ["csv", "ndjson", "json", "table", "prometheus"] {
            let plain = try TrailscanBinary.run(["scan", trail.path, "-f", format, "-j", "1", "--quiet"] + options)
            let detail = try TrailscanBinary.run(["scan", trail.path, "-f", format, "-j", "1", "--quiet", "--html-detail"] + options)
            #expect(plain.status == 0 && detail.status == 0, "\(detail.stderr)")
            func stable(_ text: String) -> [Substring] {
                text.split(separator: "\n").filter { line in
                    !["seconds", "jobs", "Time:"].contains { line.lowercased().contains($0.lowercased()) }
                }
            }
            #expect(stable(plain.stdout) == stable(detail.stdout), "\(format) \(options)")
            #expect(stable(plain.stdout).count > 3 || options.contains("idle"), "\(format) \(options): an answer with rows")
        }
    }

    @Test func mergeWritesHTMLOnlyFromPartsScannedWithDetail() throws {
        let trail = try CLITests.makeTrail(bytes: 1 << 20, seed: 41)
        let folder = try TemporaryFolder()
        let plain = try ShardMergeTests.writeParts(trail.path, shards: 2, in: folder)
        let refused = try TrailscanBinary.run(["merge", "-f", "html"] + plain)
        #expect(refused.status == 2)
        #expect(refused.stdout.isEmpty)
        let message = refused.stderr.trimmingCharacters(in: .newlines)
        #expect(!message.contains("\n") && message.contains("--format partial --html-detail"), "\(message)")

        let detailFolder = try TemporaryFolder()
        let detailed = try ShardMergeTests.writeParts(trail.path, shards: 2, options: ["--html-detail"], in: detailFolder)
        let merged = try TrailscanBinary.run(["merge", "-f", "html", "--quiet"] + detailed.reversed())
        let direct = try TrailscanBinary.run(["scan", trail.path, "-f", "html", "--quiet"])
        #expect(merged.status == 0 && direct.status == 0, "\(merged.stderr)")
        func stable(_ text: String) -> [Substring] {
            text.split(separator: "\n").filter { !$0.lowercased().contains("seconds") && !$0.contains("jobs") }
        }
        #expect(stable(merged.stdout) == stable(direct.stdout))
        #expect(merged.stdout.contains("<section id=\"per-day\" data-available=\"true\""))

        // A part with detail and one without are parts of different requests.
        let mixed = try TrailscanBinary.run(["merge", "-f", "json", plain[0], detailed[1]])
        #expect(mixed.status == 2)
        #expect(mixed.stderr.contains("--html-detail"), "\(mixed.stderr)")
    }
}
