// `--format html`: one self-contained page to look at. No network: no
// external script, font, style or image (a Content-Security-Policy of
// `default-src 'none'` says so to the browser too); the charts are inline
// SVG and CSS, and the only script marks the page loaded, or failed, on the
// root element (`data-page-loaded`, `data-page-error`) for the headless
// browser test.
//
// Sections, in order: the summary; the top keys as horizontal bars (calls,
// the failed part in red); calls per day, all keys and the busiest ones as
// small multiples; errors by error code; blind spots and delivery gaps on a
// time line; the failed files; and, for a report other than the key/event
// counts, the report's own table.
//
// Every number shown is in the JSON of the same scan, and each one is also
// in a `data-*` attribute of its element (exact values, not the rounded
// text), so a test can compare them. The page names the commands:
//
//     summary, keys, calls per day, errors by code, blind spots, failures:
//         trailscan scan PATH --by key,day,error-code -f json
//         (rows summed over the columns a chart does not show)
//     delivery gaps:
//         trailscan scan PATH --report gaps -f json
//
// Calls per day and errors by error code need rows kept by day and error
// code: the request's `detail` (`--html-detail`, which `--format html`
// sets). Without it those two sections say how to get them.
//
// Everything from the input (keys, principals, error codes, trail names,
// paths, errors) is HTML-escaped; visible text also goes through
// `TerminalText.sanitize`, so bidirectional controls cannot reorder what
// the reader sees, while `data-*` attributes carry the exact value.

/// The pieces of an answer the HTML page shows.
struct HTMLReport {
    var summary: ScanSummary
    var failures: [FileFailure]
    /// Busiest first, as in the JSON `keys`.
    var keys: [ReportKey]
    /// (key, day) rows, nil when days were not kept.
    var keyDays: [(key: String, day: String, counts: CallCounts)]?
    /// Errors by error code (codes with at least one error), nil when error
    /// codes were not kept.
    var errorCodes: [(code: String, errors: UInt64)]?
    var blindSpots: [BlindSpot]
    /// nil when the delivered days are not known (a bare report).
    var gaps: [DeliveryGap]?
    /// The first and last day a log file was delivered.
    var deliveredRange: ClosedRange<Int64>?
    /// The report's own table, for a report other than the key/event counts.
    var table: ReportTable?
    var request: ReportRequest?
    /// The roots scanned (as their S3 keys when they have one).
    var roots: [String] = []

    /// Keys drawn in the top-keys chart, and keys given a per-day chart.
    static let topKeys = 20
    static let perDayKeys = 6
    static let maximumTableRows = 2_000
    static let maximumFailures = 200
    static let maximumErrorCodes = 40
}

extension ReportAnswer {
    /// The HTML page of this answer.
    func htmlPage() -> String {
        let request = partial.request
        let dimensions = request.plan.dimensions
        let keyEvent = result.keyEventReport(base: partial.report)
        var page = HTMLReport(
            summary: summary, failures: partial.failures, keys: ReportRenderer.keysByCalls(keyEvent),
            blindSpots: result.blindSpots, gaps: deliveryGaps, request: request, roots: partial.coverage.roots)
        if dimensions.contains(.day) {
            page.keyDays = result.grouped(by: [.key, .day]).map { (key: $0.values[0], day: $0.values[1], counts: $0.counts) }
        }
        if dimensions.contains(.errorCode) {
            page.errorCodes = result.grouped(by: [.errorCode]).filter { $0.counts.errors > 0 }
                .map { (code: $0.values[0], errors: $0.counts.errors) }
        }
        let days = partial.deliveredDays.map(\.day)
        if let first = days.min(), let last = days.max() { page.deliveredRange = first...last }
        if !request.isKeyEventUsage {
            page.table = tableOfRequest()
        }
        return page.render()
    }
}

// MARK: - Rendering

extension HTMLReport {
    func render() -> String {
        var out = ""
        out.reserveCapacity(16_384)
        out.append(Self.head)
        out.append("<body>\n<header>\n<h1>trailscan report</h1>\n")
        out.append("<p class=\"sub\">\(text(describeRequest()))</p>\n</header>\n")
        appendJSONHowTo(to: &out)
        appendSummary(to: &out)
        appendTopKeys(to: &out)
        appendPerDay(to: &out)
        appendErrorCodes(to: &out)
        appendTimeline(to: &out)
        appendFailures(to: &out)
        if let table { appendTable(table, to: &out) }
        out.append("<footer>trailscan \(text(TrailScanVersion.current))</footer>\n</body>\n</html>\n")
        return out
    }

    /// The document head: the policy that forbids every load, the marker
    /// script, the style sheet.
    static let head = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>trailscan report</title>
        <script>
        (function () {
          var root = document.documentElement;
          function fail(text) { if (!root.hasAttribute('data-page-error')) root.setAttribute('data-page-error', String(text)); }
          window.addEventListener('error', function (e) { fail(e.message || 'error'); });
          document.addEventListener('securitypolicyviolation', function (e) { fail('blocked load: ' + e.blockedURI); });
          window.addEventListener('load', function () { root.setAttribute('data-page-loaded', 'yes'); });
        })();
        </script>
        <style>
        body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #1d2430; background: #fff; max-width: 1120px; margin: 0 auto; padding: 16px 24px 40px; }
        h1 { font-size: 24px; margin: 8px 0 2px; }
        h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid #d8dde6; padding-bottom: 4px; }
        .sub, .note, footer { color: #5a6475; }
        .note { font-size: 13px; }
        code, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace; font-size: 12.5px; }
        pre { background: #f4f6f9; border: 1px solid #d8dde6; padding: 8px 10px; overflow-x: auto; white-space: pre-wrap; word-break: break-all; margin: 6px 0; }
        table { border-collapse: collapse; }
        th, td { text-align: left; padding: 3px 10px 3px 0; vertical-align: top; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
        table.grid td, table.grid th { border-bottom: 1px solid #eceff4; padding: 3px 12px 3px 4px; }
        table.summary th { font-weight: 600; color: #3a4455; padding-right: 18px; }
        .bars { margin: 6px 0; }
        .bar-row { display: grid; grid-template-columns: 440px 1fr 180px; gap: 10px; align-items: center; margin: 3px 0; }
        .label { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
        .label small { color: #5a6475; margin-left: 6px; }
        .track { background: #eef1f5; height: 16px; border-radius: 2px; }
        .fill { background: #3d6fb8; height: 100%; position: relative; border-radius: 2px; }
        .fill.err-only { background: #c8412a; }
        .err { background: #c8412a; height: 100%; position: absolute; left: 0; top: 0; border-radius: 2px 0 0 2px; }
        .value { font-variant-numeric: tabular-nums; white-space: nowrap; }
        .value .e, .value.e { color: #b23a25; }
        .legend span { display: inline-block; width: 12px; height: 12px; vertical-align: -2px; margin: 0 4px 0 12px; border-radius: 2px; }
        .multiples { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 14px 28px; }
        figure { margin: 0; }
        figcaption { display: flex; justify-content: space-between; gap: 10px; font-size: 13px; }
        figcaption .label { min-width: 0; max-width: 70%; }
        svg { display: block; width: 100%; height: auto; }
        svg text { font: 11px system-ui, sans-serif; fill: #5a6475; }
        .c { fill: #3d6fb8; } .e { fill: #c8412a; } .blind { fill: #c8412a; } .gap { fill: #e09b2d; }
        .axis { stroke: #b9c1ce; stroke-width: 1; } .lane { fill: #f4f6f9; }
        footer { margin-top: 36px; font-size: 12px; }
        </style>
        </head>

        """

    // MARK: Text helpers

    /// Visible text from the input: control and bidirectional characters
    /// written as escapes, then HTML-escaped.
    func text(_ value: String) -> String { HTMLText.escape(TerminalText.sanitize(value)) }

    /// An attribute value: exact, HTML-escaped (used inside double quotes).
    func attr(_ value: String) -> String { HTMLText.escape(value) }

    func count(_ n: UInt64) -> String { NumberText.grouped(n) }

    /// `1 error`, `2 errors`, `1,234 calls`.
    func count(_ n: UInt64, _ noun: String) -> String { NumberText.grouped(n) + " " + noun + (n == 1 ? "" : "s") }

    /// `part / whole` as a CSS percentage with two decimals; at least a
    /// sliver for a nonzero part.
    func percent(_ part: UInt64, of whole: UInt64) -> String {
        guard whole > 0, part > 0 else { return "0%" }
        return NumberText.fixed(max(Double(part) / Double(whole) * 100, 0.4), decimals: 2) + "%"
    }

    func svgNumber(_ x: Double) -> String { NumberText.fixed(x, decimals: 2) }

    /// A key shown short: the resource part of an ARN (`key/…` without
    /// `key/`), with account and region after it; the whole key in the
    /// tooltip and the data attribute.
    func keyLabel(_ key: String) -> String {
        if key.isEmpty { return "<span class=\"label\" title=\"calls that name no key\">(no key)</span>" }
        let parts = key.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        var short = key
        var place = ""
        if parts.count == 6 && parts[0] == "arn" {
            short = String(parts[5].hasPrefix("key/") ? parts[5].dropFirst(4) : parts[5])
            place = String(parts[4]) + " " + String(parts[3])
        }
        return "<span class=\"label mono\" title=\"\(text(key))\">\(text(short))"
            + (place.isEmpty ? "" : "<small>\(text(place))</small>") + "</span>"
    }

    /// The request in words, for the header.
    func describeRequest() -> String {
        guard let request else { return "KMS calls by key and event name" }
        var words = "report: \(request.report.rawValue)"
        if request.report == .usage { words += " by " + request.grouping.map(\.rawValue).joined(separator: ", ") }
        if request.source != ReportRequest().source { words += ", source \(request.source)" }
        if !roots.isEmpty { words += " · scanned: " + roots.joined(separator: ", ") }
        return words
    }

    /// The options of the request that differ from the defaults, as
    /// command-line words (without --report, --by and --html-detail).
    func requestOptions() -> String {
        guard let request else { return "" }
        let defaults = ReportRequest().describedFields()
        var words: [String] = []
        for (field, base) in zip(request.describedFields(), defaults) where field.1 != base.1 {
            switch field.0 {
            case "--report", "--by", "--html-detail": continue
            case "--read-only": words.append(field.1 == "on" ? "--read-only" : "--no-read-only")
            default: words.append(field.1 == "on" ? field.0 : field.0 + " " + ShellWord.quoted(field.1))
            }
        }
        return words.map { " " + $0 }.joined()
    }

    // MARK: Sections

    func appendJSONHowTo(to out: inout String) {
        let options = requestOptions()
        out.append("<section id=\"json\">\n<h2>The numbers as JSON</h2>\n")
        out.append("<p class=\"note\">Every number on this page is in the JSON report of the same scan")
        out.append(" (PATH: the folders or files scanned")
        if !roots.isEmpty { out.append(", here " + roots.map { "<code>\(text($0))</code>" }.joined(separator: ", ")) }
        out.append("). The summary, the keys, calls per day, errors by error code, the blind spots and the failed files")
        out.append(" (sum the rows over the columns a chart does not show):</p>\n")
        out.append("<pre id=\"json-command\">trailscan scan PATH\(text(options)) --by key,day,error-code -f json</pre>\n")
        out.append("<p class=\"note\">The delivery gaps:</p>\n")
        out.append("<pre id=\"json-gaps-command\">trailscan scan PATH\(text(options)) --report gaps -f json</pre>\n")
        if table != nil, let request {
            out.append("<p class=\"note\">The table at the end of the page:</p>\n")
            var words = request.report == .usage ? "" : " --report " + request.report.rawValue
            if request.report == .usage { words += " --by " + request.grouping.map(\.rawValue).joined(separator: ",") }
            out.append("<pre id=\"json-table-command\">trailscan scan PATH\(text(words + options)) -f json</pre>\n")
        }
        out.append("<p class=\"note\">Parts scanned with <code>--format partial --html-detail</code> give this page with")
        out.append(" <code>trailscan merge PARTS -f html</code>, and the summary and key totals with <code>-f json</code>.</p>\n")
        out.append("</section>\n")
    }

    func appendSummary(to out: inout String) {
        let s = summary
        out.append("<section id=\"summary\">\n<h2>Summary</h2>\n<table class=\"summary\">\n")
        func row(_ field: String, _ label: String, _ value: String, _ shown: String) {
            out.append("<tr data-field=\"\(field)\" data-value=\"\(attr(value))\"><th>\(label)</th><td>\(shown)</td></tr>\n")
        }
        func number(_ field: String, _ label: String, _ n: UInt64, _ suffix: String = "") {
            row(field, label, String(n), count(n) + suffix)
        }
        number("files", "Files read", UInt64(s.files))
        number("filesSkipped", "Files skipped (digests, insights)", UInt64(s.filesSkipped))
        number("filesFailed", "Files failed", UInt64(s.filesFailed), s.filesFailed > 0 ? " — their records are not counted" : "")
        number("records", "Records", s.records)
        number("kmsRecords", "KMS records", s.kmsRecords)
        number("selectedRecords", "Records selected", s.selectedRecords)
        number("duplicatesFolded", "Cross-account copies folded", s.duplicatesFolded)
        number("deliveryCopiesFolded", "Copies two trails delivered, folded", s.deliveryCopiesFoldedTotal)
        row(
            "deliveryCopiesFoldedByTrail", "Folded copies by trail prefix", ReportRenderer.countsObject(s.deliveryCopiesFolded),
            s.deliveryCopiesFolded.isEmpty ? "none" : text(ReportRenderer.deliveryTrailsText(s)))
        number("recordsInFailedFiles", "Records in failed files", s.recordsInFailedFiles)
        number("bytesCompressed", "Bytes read", s.bytesCompressed, " (" + NumberText.bytes(s.bytesCompressed) + ")")
        number("bytesUncompressed", "Bytes of JSON", s.bytesUncompressed, " (" + NumberText.bytes(s.bytesUncompressed) + ")")
        row("inflater", "Inflater", s.inflater, text(s.inflater))
        // One line each: the timing lines are the only ones allowed to
        // differ between a scan and a merge of its parts.
        let seconds = NumberText.fixed(s.seconds, decimals: 3)
        row("seconds", "Wall time", seconds, seconds + " seconds")
        let cpu = NumberText.fixed(s.cpuSeconds, decimals: 3)
        row("cpuSeconds", "Processor time", cpu, cpu + " processor seconds")
        row("jobs", "Worker threads", String(s.jobs), count(UInt64(max(s.jobs, 0)), "job"))
        // Why the answer is empty, when it is (the JSON summary's notes).
        row("notes", "Notes", s.notes.joined(separator: "; "), s.notes.isEmpty ? "none" : text(s.notes.joined(separator: "; ")))
        out.append("</table>\n</section>\n")
    }

    func appendTopKeys(to out: inout String) {
        var total = CallCounts()
        for key in keys { total = ReportRenderer.saturatingSum(total, key.totals) }
        let shown = keys.prefix(Self.topKeys)
        out.append(
            "<section id=\"top-keys\" data-total-calls=\"\(total.calls)\" data-total-errors=\"\(total.errors)\" "
                + "data-keys=\"\(keys.count)\" data-shown=\"\(shown.count)\">\n")
        out.append("<h2>Top keys</h2>\n")
        out.append("<p class=\"note legend\">\(count(total.calls, "call")), \(count(total.errors, "error")), \(count(UInt64(keys.count), "key")).")
        out.append("<span style=\"background:#3d6fb8\"></span>calls<span style=\"background:#c8412a\"></span>failed calls (errors)</p>\n")
        guard let largest = shown.first?.totals.calls, largest > 0 else {
            out.append("<p>No calls.</p>\n</section>\n")
            return
        }
        out.append("<div class=\"bars\">\n")
        for key in shown {
            appendBar(
                label: keyLabel(key.key), attributes: "data-key=\"\(attr(key.key))\"", calls: key.totals.calls,
                errors: key.totals.errors, largest: largest, to: &out)
        }
        out.append("</div>\n")
        if keys.count > shown.count {
            var rest = CallCounts()
            for key in keys.dropFirst(shown.count) { rest = ReportRenderer.saturatingSum(rest, key.totals) }
            out.append(
                "<p class=\"note\" data-rest-keys=\"\(keys.count - shown.count)\" data-rest-calls=\"\(rest.calls)\">"
                    + "\(count(UInt64(keys.count - shown.count), "more key")) with \(count(rest.calls, "call")) and "
                    + "\(count(rest.errors, "error")) (all in the JSON <code>keys</code>).</p>\n")
        }
        out.append("</section>\n")
    }

    /// One horizontal bar: calls, with the failed part drawn over its start.
    func appendBar(label: String, attributes: String, calls: UInt64, errors: UInt64, largest: UInt64, to out: inout String) {
        out.append("<div class=\"bar-row\" \(attributes) data-calls=\"\(calls)\" data-errors=\"\(errors)\">")
        out.append(label)
        out.append("<div class=\"track\"><div class=\"fill\" style=\"width:\(percent(calls, of: largest))\">")
        if errors > 0 { out.append("<div class=\"err\" style=\"width:\(percent(errors, of: calls))\"></div>") }
        out.append("</div></div>")
        out.append("<span class=\"value\">\(count(calls, "call"))")
        if errors > 0 { out.append(" · <span class=\"e\">\(count(errors, "error"))</span>") }
        out.append("</span></div>\n")
    }

    func appendUnavailable(_ what: String, to out: inout String) {
        out.append(
            "<p class=\"note\">\(what) are not in this report: its rows were not kept by day and error code. "
                + "<code>trailscan scan --format html</code> keeps them; parts for <code>trailscan merge -f html</code> "
                + "need <code>--format partial --html-detail</code>.</p>\n")
    }

    func appendPerDay(to out: inout String) {
        guard let keyDays else {
            out.append("<section id=\"per-day\" data-available=\"false\">\n<h2>Calls per day</h2>\n")
            appendUnavailable("Calls per day", to: &out)
            out.append("</section>\n")
            return
        }
        // Day numbers of the dated rows; the undated calls (no eventTime) apart.
        var all: [Int64: CallCounts] = [:]
        var byKey: [String: [Int64: CallCounts]] = [:]
        var undated = CallCounts()
        for row in keyDays {
            guard let time = UTCTime.parse(row.day, allowDateOnly: true) else {
                undated = ReportRenderer.saturatingSum(undated, row.counts)
                continue
            }
            let day = UTCTime.day(time)
            all[day] = ReportRenderer.saturatingSum(all[day] ?? CallCounts(), row.counts)
            byKey[row.key, default: [:]][day] = row.counts
        }
        guard let first = all.keys.min(), let last = all.keys.max() else {
            out.append("<section id=\"per-day\" data-available=\"true\" data-undated-calls=\"\(undated.calls)\">\n")
            out.append("<h2>Calls per day</h2>\n<p>No dated calls.</p>\n</section>\n")
            return
        }
        out.append(
            "<section id=\"per-day\" data-available=\"true\" data-first-day=\"\(UTCTime.date(day: first))\" "
                + "data-last-day=\"\(UTCTime.date(day: last))\" data-undated-calls=\"\(undated.calls)\">\n")
        out.append("<h2>Calls per day</h2>\n")
        out.append(
            "<p class=\"note legend\">\(UTCTime.date(day: first)) to \(UTCTime.date(day: last)), UTC; all keys, then the "
                + "\(min(Self.perDayKeys, keys.count)) busiest. Each chart has its own scale.")
        out.append("<span style=\"background:#3d6fb8\"></span>calls<span style=\"background:#c8412a\"></span>errors</p>\n")
        if undated.calls > 0 {
            out.append("<p class=\"note\">\(count(undated.calls, "call")) without a usable eventTime (not on a day).</p>\n")
        }
        out.append("<div class=\"multiples\">\n")
        appendDayChart(
            caption: "<span class=\"label\">All keys</span>", attributes: "data-all=\"true\"", days: all, first: first,
            last: last, to: &out)
        for key in keys.prefix(Self.perDayKeys) {
            appendDayChart(
                caption: keyLabel(key.key), attributes: "data-key=\"\(attr(key.key))\"", days: byKey[key.key] ?? [:],
                first: first, last: last, to: &out)
        }
        out.append("</div>\n</section>\n")
    }

    func appendDayChart(
        caption: String, attributes: String, days: [Int64: CallCounts], first: Int64, last: Int64, to out: inout String
    ) {
        var total = CallCounts()
        var largest: UInt64 = 0
        for counts in days.values {
            total = ReportRenderer.saturatingSum(total, counts)
            largest = max(largest, counts.calls)
        }
        let width = 520.0, top = 14.0, plot = 76.0, height = 110.0
        let span = Double(last - first + 1)
        let step = width / span
        out.append(
            "<figure class=\"day-chart\" \(attributes) data-total-calls=\"\(total.calls)\" data-total-errors=\"\(total.errors)\">\n")
        out.append("<figcaption>\(caption)<span class=\"value\">\(count(total.calls, "call"))")
        if total.errors > 0 { out.append(" · <span class=\"e\">\(count(total.errors, "error"))</span>") }
        out.append("</span></figcaption>\n")
        out.append("<svg viewBox=\"0 0 520 110\" role=\"img\" preserveAspectRatio=\"none\">\n")
        out.append("<text x=\"2\" y=\"10\">max \(count(largest))/day</text>\n")
        let base = top + plot
        for (day, counts) in days.sorted(by: { $0.key < $1.key }) where counts.calls > 0 {
            let x = Double(day - first) * step
            let w = max(step * 0.84, 0.6)
            let h = max(Double(counts.calls) / Double(max(largest, 1)) * plot, 0.8)
            let date = UTCTime.date(day: day)
            out.append(
                "<rect class=\"c\" data-day=\"\(date)\" data-calls=\"\(counts.calls)\" data-errors=\"\(counts.errors)\" "
                    + "x=\"\(svgNumber(x))\" y=\"\(svgNumber(base - h))\" width=\"\(svgNumber(w))\" height=\"\(svgNumber(h))\">"
                    + "<title>\(date): \(count(counts.calls, "call")), \(count(counts.errors, "error"))</title></rect>")
            if counts.errors > 0 {
                let eh = max(Double(counts.errors) / Double(max(largest, 1)) * plot, 0.8)
                out.append(
                    "<rect class=\"e\" x=\"\(svgNumber(x))\" y=\"\(svgNumber(base - eh))\" width=\"\(svgNumber(w))\" "
                        + "height=\"\(svgNumber(eh))\"></rect>")
            }
            out.append("\n")
        }
        out.append("<line class=\"axis\" x1=\"0\" y1=\"\(svgNumber(base + 0.5))\" x2=\"520\" y2=\"\(svgNumber(base + 0.5))\"></line>\n")
        out.append("<text x=\"2\" y=\"\(svgNumber(height - 3))\">\(UTCTime.date(day: first))</text>\n")
        if last != first {
            out.append("<text x=\"518\" y=\"\(svgNumber(height - 3))\" text-anchor=\"end\">\(UTCTime.date(day: last))</text>\n")
        }
        out.append("</svg>\n</figure>\n")
    }

    func appendErrorCodes(to out: inout String) {
        guard let errorCodes else {
            out.append("<section id=\"error-codes\" data-available=\"false\">\n<h2>Errors by error code</h2>\n")
            appendUnavailable("Errors by error code", to: &out)
            out.append("</section>\n")
            return
        }
        let sorted = errorCodes.enumerated().sorted { a, b in
            a.element.errors != b.element.errors ? a.element.errors > b.element.errors : a.offset < b.offset
        }.map(\.element)
        var total: UInt64 = 0
        for entry in sorted { total = total.addingReportingOverflow(entry.errors).overflow ? .max : total + entry.errors }
        let shown = sorted.prefix(Self.maximumErrorCodes)
        out.append(
            "<section id=\"error-codes\" data-available=\"true\" data-total-errors=\"\(total)\" "
                + "data-codes=\"\(sorted.count)\" data-shown=\"\(shown.count)\">\n")
        out.append("<h2>Errors by error code</h2>\n")
        guard let largest = shown.first?.errors, largest > 0 else {
            out.append("<p>No failed calls.</p>\n</section>\n")
            return
        }
        out.append("<p class=\"note\">\(count(total, "failed call")), \(count(UInt64(sorted.count), "error code")).</p>\n")
        out.append("<div class=\"bars\">\n")
        for entry in shown {
            out.append("<div class=\"bar-row\" data-error-code=\"\(attr(entry.code))\" data-errors=\"\(entry.errors)\">")
            out.append("<span class=\"label mono\" title=\"\(text(entry.code))\">\(text(entry.code))</span>")
            out.append("<div class=\"track\"><div class=\"fill err-only\" style=\"width:\(percent(entry.errors, of: largest))\"></div></div>")
            out.append("<span class=\"value e\">\(count(entry.errors, "error"))</span></div>\n")
        }
        out.append("</div>\n")
        if sorted.count > shown.count {
            var rest: UInt64 = 0
            for entry in sorted.dropFirst(shown.count) { rest &+= entry.errors }
            out.append(
                "<p class=\"note\" data-rest-codes=\"\(sorted.count - shown.count)\" data-rest-errors=\"\(rest)\">"
                    + "\(count(UInt64(sorted.count - shown.count), "more error code")) with \(count(rest, "error")).</p>\n")
        }
        out.append("</section>\n")
    }

    func appendTimeline(to out: inout String) {
        let gaps = self.gaps ?? []
        out.append(
            "<section id=\"timeline\" data-blind-spots=\"\(blindSpots.count)\" data-gaps=\"\(self.gaps.map { String($0.count) } ?? "")\">\n")
        out.append("<h2>Blind spots and delivery gaps</h2>\n")
        out.append(
            "<p class=\"note legend\">A blind spot: a trail excluded KMS events (calls in it are missing from the logs). "
                + "A delivery gap: days with no log file for an account and region that has files before and after.")
        out.append("<span style=\"background:#c8412a\"></span>blind spot<span style=\"background:#e09b2d\"></span>delivery gap</p>\n")
        if self.gaps == nil { out.append("<p class=\"note\">Delivery gaps are not known for this report.</p>\n") }
        guard !blindSpots.isEmpty || !gaps.isEmpty else {
            out.append("<p>No blind spots and no delivery gaps in the scanned period.</p>\n</section>\n")
            return
        }
        // The period, in days: delivered days, the gaps, the blind spots.
        var first = Int64.max, last = Int64.min
        func include(_ day: Int64) {
            first = min(first, day)
            last = max(last, day)
        }
        if let deliveredRange {
            include(deliveredRange.lowerBound)
            include(deliveredRange.upperBound)
        }
        for gap in gaps {
            include(gap.firstMissingDay)
            include(gap.lastMissingDay)
        }
        for spot in blindSpots {
            include(UTCTime.day(spot.from))
            if let until = spot.until { include(UTCTime.day(until)) }
        }
        let start = Double(first), span = Double(last - first + 1)
        struct Lane: Hashable {
            var account, region: String
        }
        var lanes: [Lane] = []
        for lane in blindSpots.map({ Lane(account: $0.account, region: $0.region) })
            + gaps.map({ Lane(account: $0.account, region: $0.region) }) where !lanes.contains(lane) {
            lanes.append(lane)
        }
        lanes.sort { a, b in
            a.account != b.account ? ReportRenderer.bytesPrecede(a.account, b.account) : ReportRenderer.bytesPrecede(a.region, b.region)
        }
        let labelWidth = 240.0, plotWidth = 740.0, laneHeight = 24.0
        let height = Double(lanes.count) * laneHeight + 26
        func x(days: Double) -> Double { labelWidth + (days - start) / span * plotWidth }
        out.append(
            "<svg viewBox=\"0 0 1000 \(svgNumber(height))\" role=\"img\" data-first-day=\"\(UTCTime.date(day: first))\" "
                + "data-last-day=\"\(UTCTime.date(day: last))\">\n")
        for (index, lane) in lanes.enumerated() {
            let y = Double(index) * laneHeight
            out.append(
                "<rect class=\"lane\" x=\"\(svgNumber(labelWidth))\" y=\"\(svgNumber(y + 3))\" width=\"\(svgNumber(plotWidth))\" "
                    + "height=\"\(svgNumber(laneHeight - 6))\"></rect>")
            out.append("<text x=\"0\" y=\"\(svgNumber(y + 16))\">\(text(lane.account)) \(text(lane.region))</text>\n")
            for gap in gaps where gap.account == lane.account && gap.region == lane.region {
                let x0 = x(days: Double(gap.firstMissingDay)), x1 = x(days: Double(gap.lastMissingDay + 1))
                let from = UTCTime.date(day: gap.firstMissingDay), until = UTCTime.date(day: gap.lastMissingDay)
                out.append(
                    "<rect class=\"gap\" data-account=\"\(attr(gap.account))\" data-region=\"\(attr(gap.region))\" "
                        + "data-from=\"\(from)\" data-until=\"\(until)\" x=\"\(svgNumber(x0))\" y=\"\(svgNumber(y + 5))\" "
                        + "width=\"\(svgNumber(max(x1 - x0, 1.5)))\" height=\"\(svgNumber(laneHeight - 10))\">"
                        + "<title>no log files \(from) to \(until)</title></rect>\n")
            }
            for spot in blindSpots where spot.account == lane.account && spot.region == lane.region {
                let x0 = x(days: Double(spot.from) / 86_400)
                let x1 = spot.until.map { x(days: Double($0) / 86_400) } ?? labelWidth + plotWidth
                let from = UTCTime.iso8601(spot.from), until = spot.until.map(UTCTime.iso8601) ?? ""
                out.append(
                    "<rect class=\"blind\" data-trail=\"\(attr(spot.trail))\" data-account=\"\(attr(spot.account))\" "
                        + "data-region=\"\(attr(spot.region))\" data-from=\"\(from)\" data-until=\"\(until)\" "
                        + "x=\"\(svgNumber(x0))\" y=\"\(svgNumber(y + 5))\" width=\"\(svgNumber(max(x1 - x0, 1.5)))\" "
                        + "height=\"\(svgNumber(laneHeight - 10))\"><title>trail \(text(spot.trail)) excluded KMS events from "
                        + "\(from) \(until.isEmpty ? "to the end of the scanned period" : "until " + until)</title></rect>\n")
            }
        }
        let axisY = Double(lanes.count) * laneHeight + 2
        out.append(
            "<line class=\"axis\" x1=\"\(svgNumber(labelWidth))\" y1=\"\(svgNumber(axisY))\" x2=\"\(svgNumber(labelWidth + plotWidth))\" "
                + "y2=\"\(svgNumber(axisY))\"></line>\n")
        // A tick at the start of each day (at most about ten labelled).
        let every = max(1, Int64((span / 10).rounded(.up)))
        var day = first
        while day <= last + 1 {
            let tx = x(days: Double(day))
            out.append("<line class=\"axis\" x1=\"\(svgNumber(tx))\" y1=\"0\" x2=\"\(svgNumber(tx))\" y2=\"\(svgNumber(axisY + 4))\" opacity=\"0.5\"></line>")
            if (day - first) % every == 0 && day <= last {
                out.append("<text x=\"\(svgNumber(tx + 2))\" y=\"\(svgNumber(axisY + 16))\">\(UTCTime.date(day: day))</text>")
            }
            out.append("\n")
            if span > 400 { break }  // no per-day ticks on a long period: first day only
            day += 1
        }
        if span > 400 {
            out.append("<text x=\"\(svgNumber(labelWidth + plotWidth))\" y=\"\(svgNumber(axisY + 16))\" text-anchor=\"end\">\(UTCTime.date(day: last))</text>\n")
        }
        out.append("</svg>\n")
        // The same, as a list with exact times.
        out.append("<table class=\"grid\">\n<tr><th>what</th><th>account</th><th>region</th><th>trail</th><th>from</th><th>until</th></tr>\n")
        for spot in blindSpots {
            out.append(
                "<tr><td>blind spot</td><td>\(text(spot.account))</td><td>\(text(spot.region))</td><td>\(text(spot.trail))</td>"
                    + "<td>\(UTCTime.iso8601(spot.from))</td><td>\(spot.until.map(UTCTime.iso8601) ?? "end of the scanned period")</td></tr>\n")
        }
        for gap in gaps {
            out.append(
                "<tr><td>delivery gap</td><td>\(text(gap.account))</td><td>\(text(gap.region))</td><td></td>"
                    + "<td>\(UTCTime.date(day: gap.firstMissingDay))</td><td>\(UTCTime.date(day: gap.lastMissingDay))</td></tr>\n")
        }
        out.append("</table>\n</section>\n")
    }

    func appendFailures(to out: inout String) {
        let sorted = ReportRenderer.sortedFailures(failures)
        out.append("<section id=\"failures\" data-failures=\"\(sorted.count)\">\n<h2>Failed files</h2>\n")
        guard !sorted.isEmpty else {
            out.append("<p>None: every file was read whole.</p>\n</section>\n")
            return
        }
        out.append("<p class=\"note\">Their records are not counted.</p>\n<table class=\"grid\">\n")
        out.append("<tr><th>file</th><th>error</th><th class=\"num\">records before the failure</th></tr>\n")
        for failure in sorted.prefix(Self.maximumFailures) {
            out.append(
                "<tr data-file=\"\(attr(failure.path))\"><td class=\"mono\">\(text(failure.path))</td><td>\(text(failure.error))</td>"
                    + "<td class=\"num\">\(count(failure.recordsBeforeFailure))</td></tr>\n")
        }
        out.append("</table>\n")
        if sorted.count > Self.maximumFailures {
            out.append("<p class=\"note\">\(count(UInt64(sorted.count - Self.maximumFailures))) more (all in the JSON <code>failures</code>).</p>\n")
        }
        out.append("</section>\n")
    }

    func appendTable(_ table: ReportTable, to out: inout String) {
        let rows = table.allRows
        out.append("<section id=\"report-table\" data-name=\"\(attr(table.name))\" data-rows=\"\(rows.count)\">\n")
        out.append("<h2>The report: \(text(table.name))</h2>\n")
        guard !rows.isEmpty else {
            out.append("<p>No rows.</p>\n</section>\n")
            return
        }
        out.append("<table class=\"grid\">\n<tr>")
        let numeric = rows[0].map { if case .count = $0 { true } else { false } }
        for (column, isNumber) in zip(table.columns, numeric) {
            out.append("<th\(isNumber ? " class=\"num\"" : "")>\(text(column.csvName))</th>")
        }
        out.append("</tr>\n")
        for row in rows.prefix(Self.maximumTableRows) {
            out.append("<tr>")
            for cell in row {
                switch cell {
                case .text(let value): out.append("<td>\(text(value))</td>")
                case .count(let n): out.append("<td class=\"num\" data-value=\"\(n)\">\(count(n))</td>")
                case .time(let t): out.append("<td>\(UTCTime.iso8601(t))</td>")
                case .none: out.append("<td></td>")
                }
            }
            out.append("</tr>\n")
        }
        out.append("</table>\n")
        if rows.count > Self.maximumTableRows {
            out.append(
                "<p class=\"note\">\(count(UInt64(rows.count - Self.maximumTableRows))) more rows (all in the JSON or CSV).</p>\n")
        }
        out.append("</section>\n")
    }
}

/// HTML escaping, by hand (no Foundation in the core).
enum HTMLText {
    /// `value` safe in element content and in a double- or single-quoted
    /// attribute: `&`, `<`, `>`, `"` and `'` as character references, NUL
    /// (which a browser would replace anyway) as U+FFFD, and the other C0
    /// controls but tab and newline, and DEL, as numeric references (CR
    /// written raw would become a newline).
    static func escape(_ value: String) -> String {
        guard value.utf8.contains(where: needsEscape) else { return value }
        var out = ""
        out.reserveCapacity(value.utf8.count + 16)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": out.append("&amp;")
            case "<": out.append("&lt;")
            case ">": out.append("&gt;")
            case "\"": out.append("&quot;")
            case "'": out.append("&#39;")
            case "\u{0}": out.append("\u{FFFD}")
            case "\t", "\n": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out.append("&#x" + String(scalar.value, radix: 16, uppercase: true) + ";")
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    static func needsEscape(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "&"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\""), UInt8(ascii: "'"): true
        case 0x00..<0x20, 0x7F: byte != 0x09 && byte != 0x0A
        default: false
        }
    }
}

/// A word for a POSIX shell: as it is when it is plain, else single-quoted.
enum ShellWord {
    static func quoted(_ word: String) -> String {
        let plain = !word.isEmpty && word.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"):
                true
            default: "-_./:=,@%+".utf8.contains(byte)
            }
        }
        if plain { return word }
        var out = "'"
        for character in word {
            if character == "'" { out.append("'\\''") } else { out.append(character) }
        }
        return out + "'"
    }
}
