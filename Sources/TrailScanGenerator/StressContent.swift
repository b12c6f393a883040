// Rare record content that is legal CloudTrail-shaped JSON but hard on a
// scanner: 100 KB+ strings, requestParameters nested ~40 levels deep,
// non-ASCII text (BMP and astral), numbers in fractional and large forms,
// empty objects and arrays. It is *content*, present in every style; the
// adversarial style only changes how it is spelled.

enum StressContent {
    /// A long free-text value (at least `minimumBytes` of UTF-8) with
    /// quotes, backslashes, newlines and non-ASCII text sprinkled in.
    static func longText(seed: UInt64, minimumBytes: Int) -> [UInt8] {
        var rng = RandomSource(seed: seed)
        var out: [UInt8] = []
        let target = minimumBytes + rng.below(minimumBytes / 2)
        out.reserveCapacity(target + 64)
        let words: [String] = [
            "lorem", "ipsum", "kms.amazonaws.com", "\"eventSource\"", "keyId", "C:\\Temp\\logs\\",
            "arn:aws:kms:us-east-1:000000000000:key/00000000-0000-4000-8000-000000000000", "{", "}", "[", "]",
            "\\u0022", "café", "日本語", "😀", "\n", "\t", "Records", "x-amz-meta-note", "/path/to/object",
        ]
        while out.count < target {
            out.append(contentsOf: words[rng.below(words.count)].utf8)
            out.append(UInt8(ascii: " "))
        }
        return out
    }

    /// A DynamoDB-style attribute value nested `depth` levels
    /// (`{"M":{"k":{"L":[{"M":…}]}}}`), with empty containers on the way.
    static func writeDeep(_ w: inout JSONWriter, depth: Int, rng: inout RandomSource) {
        if depth <= 0 {
            w.beginObject()
            w.member("S", "leaf")
            w.endObject()
            return
        }
        w.beginObject()
        if rng.chance(1, in: 2) {
            w.key("M")
            w.beginObject()
            if rng.chance(1, in: 6) {
                w.key("empty")
                w.emptyObject()
            }
            w.key("child")
            writeDeep(&w, depth: depth - 1, rng: &rng)
            w.endObject()
        } else {
            w.key("L")
            w.beginArray()
            if rng.chance(1, in: 6) { w.emptyArray() }
            writeDeep(&w, depth: depth - 1, rng: &rng)
            w.endArray()
        }
        w.endObject()
    }

    /// A small object of numbers in the forms a scanner must skip:
    /// negative fractions, large integers, zero.
    static func writeNumbers(_ w: inout JSONWriter, rng: inout RandomSource) {
        w.beginObject()
        w.key("ratio")
        w.decimal(mantissa: -5, exponent: -1)  // -0.5
        w.member("bytes", number: 1000)
        w.key("sampleRate")
        w.decimal(mantissa: 1, exponent: -2)  // 0.01
        w.member("zero", number: 0)
        w.member("large", number: 123_456_789_012 + rng.below(1000))
        w.key("weights")
        w.beginArray()
        w.decimal(mantissa: 25, exponent: -2)  // 0.25
        w.decimal(mantissa: 1_5, exponent: -1)  // 1.5
        w.number(-7)
        w.endArray()
        w.key("empty")
        w.emptyObject()
        w.key("none")
        w.emptyArray()
        w.endObject()
    }

    /// A key policy document, as the JSON *string* PutKeyPolicy logs.
    static func keyPolicy(account: [UInt8], partition: [UInt8], principal: [UInt8]) -> [UInt8] {
        var p: [UInt8] = []
        func add(_ s: String) { p.append(contentsOf: s.utf8) }
        add("{\n  \"Version\" : \"2012-10-17\",\n  \"Id\" : \"key-consolepolicy-3\",\n  \"Statement\" : [ {\n")
        add("    \"Sid\" : \"Enable IAM User Permissions\",\n    \"Effect\" : \"Allow\",\n")
        add("    \"Principal\" : {\n      \"AWS\" : \"arn:")
        p.append(contentsOf: partition)
        add(":iam::")
        p.append(contentsOf: account)
        add(":root\"\n    },\n    \"Action\" : \"kms:*\",\n    \"Resource\" : \"*\"\n  }, {\n")
        add("    \"Sid\" : \"Allow use of the key\",\n    \"Effect\" : \"Allow\",\n    \"Principal\" : {\n")
        add("      \"AWS\" : \"")
        p.append(contentsOf: principal)
        add("\"\n    },\n    \"Action\" : [ \"kms:Encrypt\", \"kms:Decrypt\", \"kms:ReEncrypt*\", ")
        add("\"kms:GenerateDataKey*\", \"kms:DescribeKey\" ],\n    \"Resource\" : \"*\"\n  } ]\n}")
        return p
    }
}
