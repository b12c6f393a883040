// `--format html` at library level: the request's `detail` changes what
// the scan keeps but no other rendering, and every value from the input is
// escaped. (Rendering in a real browser: TrailScanCLITests/HTMLReportTests.)

import Testing
@testable import TrailScanCore

@Suite("HTML report")
struct HTMLReportRenderTests {
    static let hostileKey = "arn:aws:kms:us-east-1:111122223333:key/<script>alert('k')</script>&\"x"
    static let hostileCode = "<img src=x onerror=\"alert(1)\">&amp;'"

    static func row(_ key: String, _ event: String, day: String, code: String) -> UsageReport.RowKey {
        var row = UsageReport.RowKey(key: key, eventName: event)
        row.day = day
        row.errorCode = code
        return row
    }

    @Test func detailKeepsDayAndErrorCodeAndIsPartOfTheRequest() {
        var request = ReportRequest()
        #expect(!request.plan.dimensions.contains(.day))
        request.detail = true
        #expect(request.plan.dimensions.isSuperset(of: [.key, .event, .day, .errorCode]))
        #expect(request.differences(from: ReportRequest()) == ["--html-detail on vs (not set)"])
        #expect(Partial.requestJSON(request).contains("\"detail\": true"))
        // A request without it writes no member: earlier partials and stores keep their identity.
        #expect(!Partial.requestJSON(ReportRequest()).contains("detail"))
    }

    @Test func detailRoundTripsThroughThePartialFormat() throws {
        for detail in [false, true] {
            var request = ReportRequest()
            request.detail = detail
            var text = Partial(request: request).json()
            let back = try text.withUTF8 { try Partial(json: UnsafeRawBufferPointer($0)) }
            #expect(back.request == request)
        }
    }

    /// The key/event report and `--by` tables sum rows over the dimensions
    /// `detail` adds, so their output does not change.
    @Test func rowsAreSummedOverTheDetailDimensions() {
        var result = AuditResult()
        result.rows[Self.row("k1", "Decrypt", day: "2026-10-01", code: "")] = CallCounts(calls: 5, errors: 0)
        result.rows[Self.row("k1", "Decrypt", day: "2026-10-01", code: "AccessDenied")] = CallCounts(calls: 2, errors: 2)
        result.rows[Self.row("k1", "Decrypt", day: "2026-10-02", code: "")] = CallCounts(calls: 3, errors: 0)
        result.rows[Self.row("k2", "Encrypt", day: "2026-10-02", code: "Throttling")] = CallCounts(calls: 1, errors: 1)
        var base = UsageReport()
        base.records = 11
        let report = result.keyEventReport(base: base)
        #expect(report.rows.count == 2)
        #expect(report.rows[UsageReport.RowKey(key: "k1", eventName: "Decrypt")] == CallCounts(calls: 10, errors: 2))
        #expect(report.rows[UsageReport.RowKey(key: "k2", eventName: "Encrypt")] == CallCounts(calls: 1, errors: 1))
        #expect(report.records == 11)
        let byKey = result.grouped(by: [.key])
        #expect(byKey.map(\.values) == [["k1"], ["k2"]])
        #expect(byKey.map(\.counts.calls) == [10, 1])
        #expect(byKey.map(\.counts.errors) == [2, 1])
        let byCode = result.grouped(by: [.errorCode])
        #expect(byCode.map(\.values) == [[""], ["AccessDenied"], ["Throttling"]])
        #expect(byCode.map(\.counts.errors) == [0, 2, 1])
    }

    @Test func escapingCoversMarkupQuotesAndControls() {
        #expect(HTMLText.escape("plain key-1/é") == "plain key-1/é")
        #expect(HTMLText.escape("<a href=\"x\">&'</a>") == "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;")
        #expect(HTMLText.escape("a\u{0}b\rc\td\ne\u{7F}") == "a\u{FFFD}b&#xD;c\td\ne&#x7F;")
        #expect(ShellWord.quoted("us-east-1") == "us-east-1")
        #expect(ShellWord.quoted("it's a key") == "'it'\\''s a key'")
    }

    /// An answer whose keys, error codes, trail, account, region and failed
    /// file are all hostile markup.
    static func hostileAnswer() -> ReportAnswer {
        var request = ReportRequest()
        request.detail = true
        var partial = Partial(request: request)
        partial.report.rows[Self.row(Self.hostileKey, "Decrypt", day: "2026-10-01", code: Self.hostileCode)] =
            CallCounts(calls: 3, errors: 3)
        partial.report.rows[Self.row(Self.hostileKey, "Decrypt", day: "2026-10-03", code: "")] = CallCounts(calls: 4, errors: 0)
        partial.report.rows[Self.row("", "<b>ListAliases</b>", day: "2026-10-02", code: "")] = CallCounts(calls: 1, errors: 0)
        partial.report.facts.selectorChanges = [
            SelectorChange(time: 1_790_000_000, trail: "<svg onload=alert(2)>", account: "<i>1</i>", region: "\"us\"", logsKMS: false),
        ]
        partial.deliveredDays = [
            DeliveredDay(account: "<u>acct</u>", region: "r&d", day: 20_727),
            DeliveredDay(account: "<u>acct</u>", region: "r&d", day: 20_730),
        ]
        partial.failures = [FileFailure(path: "logs/<script>x</script>.json.gz", error: "bad <gzip> & \"more\"")]
        partial.summary.inflater = "<zlib>"
        return ReportAnswer(partial)
    }

    /// The tag names a page of ours may contain.
    static let ownTags: Set<String> = [
        "!DOCTYPE", "html", "head", "meta", "title", "script", "style", "body", "header", "h1", "h2", "p", "section", "pre",
        "code", "table", "tr", "th", "td", "div", "span", "small", "figure", "figcaption", "svg", "rect", "line", "text",
        "footer",
    ]

    /// Every `<name` in `page`.
    static func tagNames(_ page: String) -> Set<String> {
        var names: Set<String> = []
        var rest = page[...]
        while let open = rest.firstIndex(of: "<") {
            rest = rest[rest.index(after: open)...]
            if rest.first == "/" { rest = rest.dropFirst() }
            names.insert(String(rest.prefix { $0.isLetter || $0.isNumber || $0 == "!" || $0 == "-" }))
        }
        return names
    }

    @Test func hostileValuesAreEscapedEverywhere() {
        let page = Self.hostileAnswer().render(.html)
        #expect(Self.tagNames(page).isSubset(of: Self.ownTags), "\(Self.tagNames(page).subtracting(Self.ownTags))")
        #expect(page.components(separatedBy: "<script").count == 2)  // our own one only
        for raw in ["<script>alert", "<img", "<svg onload", "<b>", "<i>1", "<u>acct", "<zlib>", "<gzip>", "r&d\""] {
            #expect(!page.contains(raw), "\(raw) is not escaped")
        }
        // The exact values are in the data attributes, escaped.
        #expect(page.contains("data-key=\"\(HTMLText.escape(Self.hostileKey))\""))
        #expect(page.contains("data-error-code=\"\(HTMLText.escape(Self.hostileCode))\" data-errors=\"3\""))
        #expect(page.contains("data-trail=\"&lt;svg onload=alert(2)&gt;\""))
        #expect(page.contains("data-account=\"&lt;u&gt;acct&lt;/u&gt;\" data-region=\"r&amp;d\""))
        #expect(page.contains("data-file=\"logs/&lt;script&gt;x&lt;/script&gt;.json.gz\""))
        // A gap (days 20728-20729) and a blind spot open to the end.
        #expect(page.contains("data-from=\"\(UTCTime.date(day: 20_728))\" data-until=\"\(UTCTime.date(day: 20_729))\""))
        #expect(page.contains("data-blind-spots=\"1\" data-gaps=\"1\""))
    }

    @Test func numbersAreTheAnswers() {
        let page = Self.hostileAnswer().render(.html)
        #expect(page.contains("<section id=\"top-keys\" data-total-calls=\"8\" data-total-errors=\"3\" data-keys=\"2\""))
        #expect(page.contains("data-day=\"2026-10-03\" data-calls=\"4\" data-errors=\"0\""))
        #expect(page.contains("<section id=\"error-codes\" data-available=\"true\" data-total-errors=\"3\""))
        #expect(page.contains("<tr data-field=\"records\" data-value=\"0\">"))
    }

    @Test func withoutDetailThePageSaysHowToGetTheDetail() {
        var partial = Partial(request: ReportRequest())
        partial.report.rows[UsageReport.RowKey(key: "k", eventName: "Decrypt")] = CallCounts(calls: 1, errors: 0)
        let page = ReportAnswer(partial).render(.html)
        #expect(page.contains("<section id=\"per-day\" data-available=\"false\">"))
        #expect(page.contains("<section id=\"error-codes\" data-available=\"false\">"))
        #expect(page.contains("--html-detail"))
        // The bare renderers give a page too (no answer: no days).
        let bare = ReportRenderer.render(.html, report: partial.report, summary: ScanSummary(), failures: [])
        #expect(bare.hasPrefix("<!DOCTYPE html>") && bare.contains("data-keys=\"1\""))
    }

    @Test func otherReportsAddTheirTable() {
        var request = ReportRequest()
        request.grouping = [.principal]
        request.detail = true
        var partial = Partial(request: request)
        var row = Self.row("k", "Decrypt", day: "2026-10-01", code: "")
        row.principal = "<p>rincipal"
        partial.report.rows[row] = CallCounts(calls: 7, errors: 0)
        let page = ReportAnswer(partial).render(.html)
        #expect(page.contains("<section id=\"report-table\" data-name=\"rows\" data-rows=\"1\">"))
        #expect(page.contains("<td>&lt;p&gt;rincipal</td><td class=\"num\" data-value=\"7\">7</td>"))
        #expect(page.contains("trailscan scan PATH --by principal -f json"))
    }
}
