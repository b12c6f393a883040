// Completion scripts, and a reader that closes the pipe early.

import Foundation
import Testing
import TrailScanTestSupport

@Suite struct EcosystemTests {
    @Test(arguments: ["bash", "zsh", "fish"])
    func completionScriptsAreGenerated(shell: String) throws {
        let result = try TrailscanBinary.run(["--generate-completion-script", shell])
        #expect(result.status == 0)
        #expect(result.stdout.contains("trailscan"))
        #expect(result.stdout.contains("--format") || result.stdout.contains("format"))
    }

    /// `trailscan scan ... | head -1`: the scan ends quietly with status 0.
    @Test func aClosedPipeEndsTheScanQuietly() throws {
        // 20,000 distinct keys: a CSV of about 1.5 MB, far more than a pipe
        // holds, so the writes after `head` exits fail with EPIPE.
        let trail = try TemporaryFolder()
        let records = (0..<20_000).map {
            #"{"eventSource":"kms.amazonaws.com","eventName":"Decrypt","resources":[{"ARN":"arn:aws:kms:us-east-1:111122223333:key/k\#($0)"}]}"#
        }
        try trail.write("many.json", Array(("{\"Records\":[" + records.joined(separator: ",") + "]}").utf8))
        let script = "\"$0\" scan \"$1\" -f csv -q | head -n 1; echo \"status=${PIPESTATUS[0]}\""
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", script, TrailscanBinary.url.path, trail.path]
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(stdout == "key,event_name,calls,errors\nstatus=0\n")
        #expect(stderr.isEmpty, "\(stderr)")
    }
}
