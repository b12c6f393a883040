// Tests of the synthetic trail generator: determinism, legal JSON in every
// style (Foundation's parser and a strict RFC 8259 checker), equal values
// across styles, the S3 key layout, the size target, digests, and that every
// key-reference form of docs/counting.md and every edge case occurs.

import Foundation
import Testing
import TrailScanGenerator

@Suite struct GeneratorTests {
    // MARK: - Shared trails (generated once; GeneratedFile is Sendable)

    static func generate(
        seed: UInt64 = 1, bytes: Int, style: TrailGenerator.JSONStyle = .compact, digests: Bool = true
    ) -> [GeneratedFile] {
        Array(TrailGenerator(.init(seed: seed, targetBytes: bytes, style: style, includeDigests: digests)))
    }

    static let compact4M = generate(bytes: 4 << 20)
    static let pretty4M = generate(bytes: 4 << 20, style: .pretty)
    static let adversarial4M = generate(bytes: 4 << 20, style: .adversarial)

    static func logs(_ files: [GeneratedFile]) -> [GeneratedFile] { files.filter { $0.kind == .log } }

    static func parse(_ file: GeneratedFile) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(file.json), options: [])
        return try #require(object as? [String: Any], "\(file.relativePath) is not an object")
    }

    static func records(_ files: [GeneratedFile]) throws -> [(file: GeneratedFile, record: [String: Any])] {
        var out: [(GeneratedFile, [String: Any])] = []
        for file in logs(files) {
            let records = try #require(try parse(file)["Records"] as? [[String: Any]])
            #expect(records.count == file.records, "\(file.relativePath)")
            for r in records { out.append((file, r)) }
        }
        return out
    }

    // MARK: - Determinism

    @Test(arguments: TrailGenerator.JSONStyle.allCases)
    func sameOptionsGiveIdenticalBytes(style: TrailGenerator.JSONStyle) {
        let a = Self.generate(seed: 42, bytes: 1 << 20, style: style)
        let b = Self.generate(seed: 42, bytes: 1 << 20, style: style)
        #expect(a.count == b.count)
        for (x, y) in zip(a, b) {
            #expect(x.relativePath == y.relativePath)
            #expect(x.json == y.json, "\(x.relativePath)")
            #expect(x.records == y.records)
        }
    }

    @Test func dataEventShareMakesS3DataEventsDominate() {
        // S3 records and records in all of a compact trail. (The first
        // records of a trail are the coverage lists' forms, which dilute a
        // small trail: 3 MB gives ~1,800 records.)
        func s3Share(_ share: Double?) -> (s3: Int, records: Int) {
            var options = TrailGenerator.Options(seed: 4, targetBytes: 3_000_000, includeDigests: false)
            options.dataEventShare = share
            var generator = TrailGenerator(options)
            let marker = Array(#""eventSource":"s3.amazonaws.com""#.utf8)
            var s3 = 0
            var records = 0
            while let file = generator.next() {
                records += file.records
                let json = file.json
                var i = 0
                while i + marker.count <= json.count {
                    if json[i] == marker[0] && Array(json[i..<i + marker.count]) == marker { s3 += 1 }
                    i += 1
                }
            }
            return (s3, records)
        }
        let heavy = s3Share(0.9)
        let usual = s3Share(nil)
        #expect(heavy.records > 100 && usual.records > 100)
        #expect(Double(heavy.s3) >= 0.85 * Double(heavy.records), "\(heavy)")
        #expect(Double(usual.s3) <= 0.5 * Double(usual.records), "\(usual)")
    }

    @Test func differentSeedsGiveDifferentTrails() {
        let a = Self.generate(seed: 1, bytes: 512 << 10)
        let b = Self.generate(seed: 2, bytes: 512 << 10)
        #expect(a.map(\.relativePath) != b.map(\.relativePath))
        #expect(a.first?.json != b.first?.json)
    }

    @Test func digestsDoNotChangeTheLogFiles() {
        let with = Self.generate(seed: 5, bytes: 2 << 20, digests: true)
        let without = Self.generate(seed: 5, bytes: 2 << 20, digests: false)
        #expect(with.contains { $0.kind == .digest })
        #expect(!without.contains { $0.kind == .digest })
        let logs = Self.logs(with)
        #expect(logs.map(\.relativePath) == without.map(\.relativePath))
        #expect(logs.map(\.json) == without.map(\.json))
    }

    // MARK: - Size target

    @Test(arguments: [1, 100 << 10, 3 << 20])
    func targetBytesIsReachedWithinOneFile(target: Int) {
        let files = Self.logs(Self.generate(seed: 9, bytes: target))
        let total = files.reduce(0) { $0 + $1.json.count }
        #expect(total >= target)
        #expect(total - (files.last?.json.count ?? 0) < target, "stopped one file late")
    }

    @Test func pathsAreUnique() {
        let paths = Self.compact4M.map(\.relativePath)
        #expect(Set(paths).count == paths.count)
    }

    // MARK: - Legal JSON, equal across styles

    @Test(arguments: TrailGenerator.JSONStyle.allCases)
    func everyFileIsStrictRFC8259(style: TrailGenerator.JSONStyle) throws {
        let files = style == .compact ? Self.compact4M : (style == .pretty ? Self.pretty4M : Self.adversarial4M)
        for file in files {
            if let problem = StrictJSON.validate(file.json) {
                Issue.record("\(file.relativePath): \(problem)")
            }
            _ = try Self.parse(file)
        }
    }

    @Test(arguments: [
        #"{"a":1,"a":2}"#, #"{"a":"\ud83d"}"#, #"{"a":"\ude00"}"#, #"{"a":01}"#, #"{"a":1.}"#, #"[1,]"#,
        "{\"a\":\"\u{01}\"}", #"{"a":"\x"}"#, #"{"a" 1}"#, #"[1] 2"#, #"{"\u0061":1,"a":2}"#,
    ])
    func strictCheckerRejectsIllegalJSON(text: String) {
        #expect(StrictJSON.validate(Array(text.utf8)) != nil, "\(text)")
    }

    @Test func strictCheckerRejectsInvalidUTF8AndAcceptsTheHardLegalCases() {
        #expect(StrictJSON.validate([0x22, 0xC0, 0xAF, 0x22]) != nil, "overlong")
        #expect(StrictJSON.validate([0x22, 0xED, 0xA0, 0x80, 0x22]) != nil, "encoded surrogate")
        #expect(StrictJSON.validate([0x22, 0xE2, 0x82, 0x22]) != nil, "truncated sequence")
        let legal = " {\t\"a\\/\\u00E9\\ud83d\\ude00\" :\r\n[ -0.5, 1e3, 1E-2, 0, {}, [], \"é😀\", true, null ] } "
        #expect(StrictJSON.validate(Array(legal.utf8)) == nil)
    }

    @Test func valueEqualitySeesDifferences() throws {
        let a = try JSONSerialization.jsonObject(with: Data(#"{"a":[1,{"b":"x"}],"n":1000}"#.utf8))
        let b = try JSONSerialization.jsonObject(with: Data(#"{"n":1e3,"a":[1,{"b":"x"}]}"#.utf8))
        let c = try JSONSerialization.jsonObject(with: Data(#"{"a":[1,{"b":"y"}],"n":1000}"#.utf8))
        #expect(JSONValue.equal(a, b))
        #expect(!JSONValue.equal(a, c))
    }

    @Test func stylesDecodeToTheSameValues() throws {
        let compact = Self.logs(Self.compact4M)
        for other in [Self.logs(Self.pretty4M), Self.logs(Self.adversarial4M)] {
            #expect(other.count >= 5)
            // A verbose style stops earlier: its log files are a prefix.
            // (Its digests are not: the last hour of each stream is digested
            // when the trail ends, which is earlier.)
            for (a, b) in zip(compact, other) {
                #expect(a.relativePath == b.relativePath)
                #expect(a.records == b.records)
                let equal = JSONValue.equal(try Self.parse(a), try Self.parse(b))
                #expect(equal, "\(a.relativePath) decodes differently")
            }
        }
    }

    @Test func prettyIsIndentedAndCompactHasNoWhitespace() throws {
        let compact = try #require(Self.compact4M.first)
        let pretty = try #require(Self.pretty4M.first)
        let text = String(decoding: pretty.json, as: UTF8.self)
        #expect(text.hasPrefix("{\n  \"Records\": [\n") || text.hasPrefix("{\n    \"Records\": [\n"))
        #expect(String(decoding: compact.json, as: UTF8.self).hasPrefix("{\"Records\":[{\"eventVersion\":"))
        // Outside strings, compact has no whitespace at all.
        var inString = false
        var escaped = false
        for b in compact.json {
            if inString {
                if escaped { escaped = false } else if b == 0x5C { escaped = true } else if b == 0x22 { inString = false }
            } else if b == 0x22 {
                inString = true
            } else {
                #expect(![0x20, 0x09, 0x0A, 0x0D].contains(b))
            }
        }
    }

    @Test func adversarialUsesEveryTrick() throws {
        let bytes = Self.adversarial4M.filter { $0.kind == .log }.flatMap(\.json)
        let text = String(decoding: bytes, as: UTF8.self)
        func has(_ pattern: String) -> Bool { text.range(of: pattern, options: .regularExpression) != nil }
        #expect(has(#"\\/"#), "escaped slash")
        #expect(has(#"\\u00[0-9][A-F]"#), "upper-case hex escape")
        #expect(has(#"\\u00[0-9][a-f]"#), "lower-case hex escape")
        #expect(has(#"\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}"#), "surrogate pair")
        #expect(has(#""[^"\\]*\\u00[0-9a-fA-F]{2}[^"\\]*"\s*:"#), "escaped member name")
        #expect(has("\t") && has("\r") && has("\n"), "tab, CR, LF between tokens")
        #expect(has(#"[0-9][eE][-+]?[0-9]"#), "exponent numbers")
        #expect(has(#"\\""#) && has(#"\\\\"#), "escaped quote and backslash")
        // Members are shuffled: some record does not start with eventVersion.
        let records = try Self.records(Self.adversarial4M)
        #expect(!records.isEmpty)
        #expect(!text.contains("{\"Records\":[{\"eventVersion\":\"1.0"))
    }

    @Test func contentStressesTheScanner() throws {
        let records = try Self.records(Self.compact4M).map(\.record)
        #expect(records.contains { JSONValue.depth($0) >= 38 }, "deep nesting")
        #expect(records.contains { JSONValue.longestString($0) >= 100_000 }, "a 100 KB+ string")
        #expect(records.contains { JSONValue.containsNonASCII($0) }, "non-ASCII text")
        #expect(records.contains { JSONValue.containsAstral($0) }, "characters outside the BMP")
        let text = String(decoding: Self.compact4M.flatMap(\.json), as: UTF8.self)
        #expect(text.contains("-0.5") && text.contains("0.01") && text.contains(":0,"), "number forms")
        #expect(text.contains(":{}") && text.contains(":[]"), "empty object and array")
    }

    // MARK: - Layout

    static let logPattern =
        #"^AWSLogs/(o-[a-z0-9]{10}/)?([0-9]{12})/CloudTrail/([a-z]{2}(-gov)?-[a-z]+-[0-9])/([0-9]{4})/([0-9]{2})/([0-9]{2})/\2_CloudTrail_\3_\5\6\7T[0-9]{4}Z_[A-Za-z0-9]{16}\.json\.gz$"#
    static let digestPattern =
        #"^AWSLogs/(o-[a-z0-9]{10}/)?([0-9]{12})/CloudTrail-Digest/([a-z]{2}(-gov)?-[a-z]+-[0-9])/([0-9]{4})/([0-9]{2})/([0-9]{2})/\2_CloudTrail-Digest_\3_[A-Za-z0-9-]+_[a-z]{2}(-gov)?-[a-z]+-[0-9]_\5\6\7T[0-9]{6}Z\.json\.gz$"#

    @Test func pathsFollowTheS3KeyLayout() throws {
        let log = try NSRegularExpression(pattern: Self.logPattern)
        let digest = try NSRegularExpression(pattern: Self.digestPattern)
        func matches(_ re: NSRegularExpression, _ s: String) -> Bool {
            re.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil
        }
        for file in Self.compact4M {
            let re = file.kind == .log ? log : digest
            #expect(matches(re, file.relativePath), "\(file.relativePath)")
        }
        let paths = Self.logs(Self.compact4M).map(\.relativePath)
        #expect(paths.contains { $0.hasPrefix("AWSLogs/o-") }, "organization trail")
        #expect(paths.contains { !$0.hasPrefix("AWSLogs/o-") }, "account trail")
        #expect(paths.contains { $0.contains("/CloudTrail/cn-") }, "aws-cn region")
        #expect(paths.contains { $0.contains("/CloudTrail/us-gov-") }, "aws-us-gov region")
        let accounts = Set(paths.map { $0.split(separator: "_")[0].split(separator: "/").last! })
        #expect(accounts.count >= 5)
        let days = Set(paths.map { $0.split(separator: "/").dropLast().suffix(3).joined(separator: "/") })
        #expect(days.count >= 3)
    }

    @Test func digestFilesAreDigestShaped() throws {
        let digests = Self.compact4M.filter { $0.kind == .digest }
        #expect(!digests.isEmpty)
        let logPaths = Set(Self.compact4M.filter { $0.kind == .log }.map(\.relativePath))
        for file in digests {
            #expect(file.records == 0)
            let d = try Self.parse(file)
            #expect(d["Records"] == nil)
            #expect(d["digestS3Object"] as? String == file.relativePath)
            // Quiet hours have empty digests, as CloudTrail delivers them.
            let listed = try #require(d["logFiles"] as? [[String: Any]])
            for entry in listed { #expect(logPaths.contains(entry["s3Object"] as? String ?? "")) }
        }
        // Every log file is listed by exactly one digest.
        let listed = try digests.flatMap { try #require(Self.parse($0)["logFiles"] as? [[String: Any]]) }
            .map { $0["s3Object"] as? String ?? "" }
        #expect(listed.sorted() == logPaths.sorted())
    }

    @Test func eventsHappenBeforeTheirFileIsDelivered() throws {
        for (file, record) in try Self.records(Self.compact4M) {
            let stamp = try #require(file.relativePath.split(separator: "_").dropLast().last)  // 20261001T0005Z
            let delivery = stamp.filter(\.isNumber) + "00"  // 202610010005 + seconds
            let time = try #require(record["eventTime"] as? String).filter(\.isNumber)
            #expect(time <= delivery, "\(file.relativePath): \(time)")
        }
    }

    @Test func mixAndSizesLookLikeARealTrail() throws {
        let records = try Self.records(Self.compact4M).map(\.record)
        let kms = records.filter { $0["eventSource"] as? String == "kms.amazonaws.com" }
        let share = Double(kms.count) / Double(records.count)
        #expect(share > 0.25 && share < 0.45, "KMS share \(share)")
        var names: [String: Int] = [:]
        for r in kms { names[r["eventName"] as! String, default: 0] += 1 }
        #expect(names["Decrypt", default: 0] > names["Encrypt", default: 0])
        #expect(names["GenerateDataKey", default: 0] > names["Encrypt", default: 0])
        let sources = Set(records.compactMap { $0["eventSource"] as? String })
        for s in ["s3.amazonaws.com", "ec2.amazonaws.com", "iam.amazonaws.com", "sts.amazonaws.com",
                  "lambda.amazonaws.com", "cloudtrail.amazonaws.com"] {
            #expect(sources.contains(s), "\(s)")
        }
        let json = Self.logs(Self.compact4M).reduce(0) { $0 + $1.json.count }
        let mean = json / records.count
        #expect(mean > 900 && mean < 2_200, "mean record size \(mean)")
    }

    // MARK: - Every form of docs/counting.md

    @Test func everyKeyReferenceFormOccurs() throws {
        let all = try Self.records(Self.compact4M)
        var forms = Set<String>()
        var shared: [String: Set<String>] = [:]
        var excludedAt: String? = nil
        var reincludedAfterExclude = false
        for (file, r) in all {
            if let id = r["sharedEventID"] as? String, let recipient = r["recipientAccountId"] as? String {
                shared[id, default: []].insert(recipient + "|" + file.relativePath)
            }
            if r["eventName"] as? String == "PutEventSelectors" {
                let sources = JSONValue.strings(
                    in: (r["requestParameters"] as? [String: Any])?["eventSelectors"] ?? [],
                    member: "excludeManagementEventSources")
                if sources.contains("kms.amazonaws.com") {
                    excludedAt = excludedAt ?? (r["eventTime"] as? String)
                } else if excludedAt != nil {
                    reincludedAfterExclude = true
                }
            }
            if r["eventSource"] as? String != "kms.amazonaws.com" {
                if JSONValue.nestedEventSourceIsKMS(r) { forms.insert("nested eventSource in non-KMS record") }
                continue
            }
            forms.formUnion(KeyForms.classify(r))
        }
        if shared.values.contains(where: { Set($0.map { $0.split(separator: "|")[0] }).count == 2 }) {
            forms.insert("cross-account pair")
        }
        if excludedAt != nil { forms.insert("PutEventSelectors excluding KMS") }
        if reincludedAfterExclude { forms.insert("PutEventSelectors re-including KMS") }

        let expected = [
            "resources key ARN typed", "resources key ARN untyped", "resources alias ARN typed next to key ARN",
            "resources two keys (ReEncrypt)", "responseElements.keyId only", "request keyId key ARN",
            "request keyId alias ARN", "request keyId alias name", "request keyId UUID", "request keyId mrk",
            "targetKeyId", "sourceKeyId+destinationKeyId", "no key ListKeys", "no key ListAliases",
            "no key GenerateRandom", "no recipientAccountId", "region cn-", "region us-gov-",
            "errorCode with errorMessage", "errorCode null", "errorCode empty", "cross-account pair",
            "encryptionContext.keyId", "additionalEventData.keyId+eventSource", "nested eventSource in non-KMS record",
            "PutEventSelectors excluding KMS", "PutEventSelectors re-including KMS",
            "internal DeleteExpiredKeyMaterial", "internal DeleteKey", "internal RotateKey",
            "internal SynchronizeMultiRegionKey",
        ]
        for form in expected { #expect(forms.contains(form), "missing: \(form)") }
        for code in ["AccessDenied", "ThrottlingException", "NotFoundException", "DisabledException",
                     "KMSInvalidStateException"] {
            #expect(forms.contains("error " + code), "missing error \(code)")
        }
        for name in ["Decrypt", "GenerateDataKey", "Encrypt", "ReEncrypt", "GenerateDataKeyWithoutPlaintext",
                     "GenerateDataKeyPair", "Sign", "Verify", "GenerateMac", "VerifyMac", "DescribeKey", "ListKeys",
                     "ListAliases", "GenerateRandom", "CreateKey", "CreateAlias", "UpdateAlias", "DeleteAlias",
                     "ScheduleKeyDeletion", "CancelKeyDeletion", "DisableKey", "EnableKey", "PutKeyPolicy",
                     "CreateGrant", "RetireGrant", "RotateKey"] {
            #expect(forms.contains("event " + name), "missing event \(name)")
        }
    }
}

// MARK: - Key-reference classification (docs/counting.md, from parsed records)

private enum KeyForms {
    static func isKeyARN(_ s: String) -> Bool {
        let parts = s.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        return parts.count == 6 && parts[0] == "arn" && parts[2] == "kms" && parts[5].hasPrefix("key/")
    }

    static func classify(_ r: [String: Any]) -> Set<String> {
        var forms: Set<String> = []
        let name = r["eventName"] as? String ?? ""
        forms.insert("event " + name)
        let region = r["awsRegion"] as? String ?? ""
        if region.hasPrefix("cn-") { forms.insert("region cn-") }
        if region.hasPrefix("us-gov-") { forms.insert("region us-gov-") }
        if r["recipientAccountId"] == nil { forms.insert("no recipientAccountId") }
        if let code = r["errorCode"] {
            if code is NSNull { forms.insert("errorCode null") }
            if let s = code as? String {
                if s.isEmpty { forms.insert("errorCode empty") } else {
                    forms.insert("error " + s)
                    if r["errorMessage"] is String { forms.insert("errorCode with errorMessage") }
                }
            }
        }
        let identity = r["userIdentity"] as? [String: Any] ?? [:]
        if identity["invokedBy"] as? String == "AWS Internal" { forms.insert("internal " + name) }
        let request = r["requestParameters"] as? [String: Any] ?? [:]
        if (request["encryptionContext"] as? [String: Any])?["keyId"] != nil { forms.insert("encryptionContext.keyId") }
        if let extra = r["additionalEventData"] as? [String: Any], extra["keyId"] != nil, extra["eventSource"] != nil {
            forms.insert("additionalEventData.keyId+eventSource")
        }

        // Rule 1: resources[]
        let resources = r["resources"] as? [[String: Any]] ?? []
        let keyARNs = resources.compactMap { $0["ARN"] as? String }.filter(isKeyARN)
        if !keyARNs.isEmpty {
            for res in resources {
                guard let arn = res["ARN"] as? String else { continue }
                if isKeyARN(arn) {
                    forms.insert(res["type"] == nil ? "resources key ARN untyped" : "resources key ARN typed")
                } else if arn.contains(":alias/") && res["type"] as? String == "AWS::KMS::Key" {
                    forms.insert("resources alias ARN typed next to key ARN")
                }
            }
            if Set(keyARNs).count >= 2 { forms.insert("resources two keys (ReEncrypt)") }
            return forms
        }
        // Rule 2: responseElements.keyId
        if let response = r["responseElements"] as? [String: Any], let id = response["keyId"] as? String, isKeyARN(id) {
            forms.insert("responseElements.keyId only")
            return forms
        }
        // Rule 3: request key fields.
        if let id = request["keyId"] as? String {
            if id.hasPrefix("arn:") {
                forms.insert(id.contains(":alias/") ? "request keyId alias ARN" : "request keyId key ARN")
            } else if id.hasPrefix("alias/") {
                forms.insert("request keyId alias name")
            } else if id.hasPrefix("mrk-") {
                forms.insert("request keyId mrk")
            } else if id.range(of: "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", options: .regularExpression) != nil {
                forms.insert("request keyId UUID")
            }
        }
        if request["targetKeyId"] is String { forms.insert("targetKeyId") }
        if request["sourceKeyId"] is String && request["destinationKeyId"] is String {
            forms.insert("sourceKeyId+destinationKeyId")
        }
        // Rule 4: no key at all.
        if request["keyId"] == nil && request["targetKeyId"] == nil && request["sourceKeyId"] == nil
            && request["destinationKeyId"] == nil
        {
            forms.insert("no key " + name)
        }
        return forms
    }
}

// MARK: - JSON value helpers (Foundation values)

private enum JSONValue {
    /// Deep equality of JSONSerialization values (numbers by value).
    static func equal(_ a: Any, _ b: Any) -> Bool {
        switch (a, b) {
        case (let x as [String: Any], let y as [String: Any]):
            return x.count == y.count && x.allSatisfy { key, value in y[key].map { equal(value, $0) } ?? false }
        case (let x as [Any], let y as [Any]):
            return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        case (let x as String, let y as String):
            return x == y
        case (is NSNull, is NSNull):
            return true
        case (let x as NSNumber, let y as NSNumber):
            return x == y || x.doubleValue == y.doubleValue
        default:
            return false
        }
    }

    static func depth(_ v: Any) -> Int {
        if let d = v as? [String: Any] { return 1 + (d.values.map(depth).max() ?? 0) }
        if let a = v as? [Any] { return 1 + (a.map(depth).max() ?? 0) }
        return 0
    }

    static func longestString(_ v: Any) -> Int {
        if let d = v as? [String: Any] { return d.values.map(longestString).max() ?? 0 }
        if let a = v as? [Any] { return a.map(longestString).max() ?? 0 }
        if let s = v as? String { return s.utf8.count }
        return 0
    }

    static func allStrings(_ v: Any, _ body: (String) -> Void) {
        if let d = v as? [String: Any] {
            for (k, x) in d {
                body(k)
                allStrings(x, body)
            }
        } else if let a = v as? [Any] {
            for x in a { allStrings(x, body) }
        } else if let s = v as? String {
            body(s)
        }
    }

    static func containsNonASCII(_ v: Any) -> Bool {
        var found = false
        allStrings(v) { if $0.utf8.contains(where: { $0 >= 0x80 }) { found = true } }
        return found
    }

    static func containsAstral(_ v: Any) -> Bool {
        var found = false
        allStrings(v) { if $0.unicodeScalars.contains(where: { $0.value > 0xFFFF }) { found = true } }
        return found
    }

    /// Strings of every member named `member`, at any depth.
    static func strings(in v: Any, member: String) -> [String] {
        var out: [String] = []
        if let d = v as? [String: Any] {
            for (k, x) in d {
                if k == member { out += (x as? [String]) ?? ((x as? String).map { [$0] } ?? []) }
                out += strings(in: x, member: member)
            }
        } else if let a = v as? [Any] {
            for x in a { out += strings(in: x, member: member) }
        }
        return out
    }

    /// True when a nested object (not the record itself) has
    /// `"eventSource": "kms.amazonaws.com"`.
    static func nestedEventSourceIsKMS(_ record: [String: Any]) -> Bool {
        record.values.contains { strings(in: $0, member: "eventSource").contains("kms.amazonaws.com") }
    }
}

// MARK: - A strict RFC 8259 checker

/// Validates JSON text strictly: the grammar, UTF-8 (no overlongs, no
/// surrogates, ≤ U+10FFFF), escapes (no lone surrogates), and no duplicate
/// member names. Returns nil, or the first problem with its byte offset.
private enum StrictJSON {
    static func validate(_ bytes: [UInt8]) -> String? {
        var p = Parser(bytes: bytes)
        do {
            p.skipWhitespace()
            try p.value(depth: 0)
            p.skipWhitespace()
            if p.i != bytes.count { throw p.fail("trailing bytes") }
            return nil
        } catch let error as Parser.Failure {
            return error.message
        } catch {
            return "\(error)"
        }
    }

    struct Parser {
        struct Failure: Error { var message: String }
        let bytes: [UInt8]
        var i = 0

        func fail(_ what: String) -> Failure { Failure(message: "\(what) at byte \(i)") }

        mutating func skipWhitespace() {
            while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i += 1 }
        }

        mutating func literal(_ word: String) throws {
            for b in word.utf8 {
                guard i < bytes.count, bytes[i] == b else { throw fail("bad literal") }
                i += 1
            }
        }

        mutating func value(depth: Int) throws {
            guard depth < 512 else { throw fail("too deep") }
            guard i < bytes.count else { throw fail("unexpected end") }
            switch bytes[i] {
            case UInt8(ascii: "{"):
                i += 1
                var names = Set<[UInt16]>()
                skipWhitespace()
                if i < bytes.count, bytes[i] == UInt8(ascii: "}") {
                    i += 1
                    return
                }
                while true {
                    skipWhitespace()
                    guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw fail("member name expected") }
                    let name = try string()
                    guard names.insert(name).inserted else { throw fail("duplicate member name") }
                    skipWhitespace()
                    guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw fail("':' expected") }
                    i += 1
                    skipWhitespace()
                    try value(depth: depth + 1)
                    skipWhitespace()
                    guard i < bytes.count else { throw fail("unexpected end in object") }
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    if bytes[i] == UInt8(ascii: "}") { i += 1; return }
                    throw fail("',' or '}' expected")
                }
            case UInt8(ascii: "["):
                i += 1
                skipWhitespace()
                if i < bytes.count, bytes[i] == UInt8(ascii: "]") {
                    i += 1
                    return
                }
                while true {
                    skipWhitespace()
                    try value(depth: depth + 1)
                    skipWhitespace()
                    guard i < bytes.count else { throw fail("unexpected end in array") }
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    if bytes[i] == UInt8(ascii: "]") { i += 1; return }
                    throw fail("',' or ']' expected")
                }
            case UInt8(ascii: "\""): _ = try string()
            case UInt8(ascii: "t"): try literal("true")
            case UInt8(ascii: "f"): try literal("false")
            case UInt8(ascii: "n"): try literal("null")
            default: try number()
            }
        }

        mutating func digits() -> Int {
            let start = i
            while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 { i += 1 }
            return i - start
        }

        mutating func number() throws {
            if i < bytes.count, bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard i < bytes.count else { throw fail("number expected") }
            if bytes[i] == UInt8(ascii: "0") {
                i += 1
            } else {
                guard digits() > 0 else { throw fail("number expected") }
            }
            if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
                i += 1
                guard digits() > 0 else { throw fail("fraction digits expected") }
            }
            if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
                i += 1
                if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
                guard digits() > 0 else { throw fail("exponent digits expected") }
            }
        }

        mutating func hex4() throws -> UInt16 {
            guard i + 4 <= bytes.count else { throw fail("short \\u escape") }
            var v: UInt16 = 0
            for _ in 0..<4 {
                let b = bytes[i]
                let d: UInt8
                switch b {
                case 0x30...0x39: d = b - 0x30
                case 0x41...0x46: d = b - 0x41 + 10
                case 0x61...0x66: d = b - 0x61 + 10
                default: throw fail("bad hex digit")
                }
                v = v << 4 | UInt16(d)
                i += 1
            }
            return v
        }

        /// Parses a string; returns its UTF-16 code units (for name comparison).
        mutating func string() throws -> [UInt16] {
            i += 1  // opening quote
            var units: [UInt16] = []
            while true {
                guard i < bytes.count else { throw fail("unterminated string") }
                let b = bytes[i]
                switch b {
                case UInt8(ascii: "\""):
                    i += 1
                    return units
                case UInt8(ascii: "\\"):
                    i += 1
                    guard i < bytes.count else { throw fail("unterminated escape") }
                    let e = bytes[i]
                    i += 1
                    switch e {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): units.append(UInt16(e))
                    case UInt8(ascii: "b"): units.append(8)
                    case UInt8(ascii: "f"): units.append(12)
                    case UInt8(ascii: "n"): units.append(10)
                    case UInt8(ascii: "r"): units.append(13)
                    case UInt8(ascii: "t"): units.append(9)
                    case UInt8(ascii: "u"):
                        let u = try hex4()
                        if u >= 0xDC00 && u <= 0xDFFF { throw fail("lone low surrogate") }
                        if u >= 0xD800 && u <= 0xDBFF {
                            guard i + 2 <= bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u")
                            else { throw fail("lone high surrogate") }
                            i += 2
                            let low = try hex4()
                            guard low >= 0xDC00 && low <= 0xDFFF else { throw fail("high surrogate without low") }
                            units.append(u)
                            units.append(low)
                        } else {
                            units.append(u)
                        }
                    default: throw fail("bad escape")
                    }
                case 0..<0x20:
                    throw fail("control character in string")
                case 0x20..<0x80:
                    units.append(UInt16(b))
                    i += 1
                default:
                    let scalar = try utf8Scalar()
                    units.append(contentsOf: String(Character(Unicode.Scalar(scalar)!)).utf16)
                }
            }
        }

        mutating func utf8Scalar() throws -> UInt32 {
            let b0 = bytes[i]
            let (length, minimum, initial): (Int, UInt32, UInt32) =
                switch b0 {
                case 0xC2...0xDF: (2, 0x80, UInt32(b0 & 0x1F))
                case 0xE0...0xEF: (3, 0x800, UInt32(b0 & 0x0F))
                case 0xF0...0xF4: (4, 0x10000, UInt32(b0 & 0x07))
                default: (0, 0, 0)
                }
            guard length > 0, i + length <= bytes.count else { throw fail("invalid UTF-8 lead byte") }
            var scalar = initial
            for k in 1..<length {
                let c = bytes[i + k]
                guard c & 0xC0 == 0x80 else { throw fail("invalid UTF-8 continuation") }
                scalar = scalar << 6 | UInt32(c & 0x3F)
            }
            guard scalar >= minimum else { throw fail("overlong UTF-8") }
            guard scalar <= 0x10FFFF, !(0xD800...0xDFFF).contains(scalar) else { throw fail("UTF-8 surrogate") }
            i += length
            return scalar
        }
    }
}
