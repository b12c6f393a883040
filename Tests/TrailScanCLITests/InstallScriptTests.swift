// scripts/install.sh --prefix DIR puts the binary and the completion
// scripts under DIR (the build is skipped with --binary: the tests' own
// trailscan; the manual page with --no-man: it needs a SwiftPM plugin run).

import Foundation
import Testing
import TrailScanTestSupport

@Suite struct InstallScriptTests {
    static let script = repositoryRoot.appendingPathComponent("scripts/install.sh").path

    @Test func installsUnderThePrefixAndSaysWhenItIsNotOnPath() throws {
        let prefix = try TemporaryFolder()
        let result = try runProcess(
            "/bin/bash", [Self.script, "--prefix", prefix.path + "/usr", "--binary", TrailscanBinary.url.path, "--no-man"],
            environment: ["PATH": "/usr/bin:/bin"])
        #expect(result.status == 0, "\(result.stderr)")
        let installed = prefix.path + "/usr/bin/trailscan"
        #expect(FileManager.default.isExecutableFile(atPath: installed))
        let version = try runProcess(installed, ["--version"])
        #expect(version.stdout.hasPrefix("trailscan "), "\(version.stdout)")
        let bash = try String(contentsOfFile: prefix.path + "/usr/share/bash-completion/completions/trailscan", encoding: .utf8)
        #expect(bash.contains("trailscan"))
        #expect(FileManager.default.fileExists(atPath: prefix.path + "/usr/share/zsh/site-functions/_trailscan"))
        #expect(FileManager.default.fileExists(atPath: prefix.path + "/usr/share/fish/vendor_completions.d/trailscan.fish"))
        #expect(result.stderr.contains("is not on your PATH"), "\(result.stderr)")
    }

    @Test func anUnwritablePrefixIsOneLine() throws {
        let folder = try TemporaryFolder()
        let file = try folder.write("a-file", Array("x".utf8))  // a prefix below a file cannot be made
        let result = try runProcess("/bin/bash", [Self.script, "--prefix", file + "/usr", "--binary", TrailscanBinary.url.path])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("install.sh: cannot write to "), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
    }
}
