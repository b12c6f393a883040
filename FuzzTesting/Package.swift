// swift-tools-version: 6.2
// libFuzzer targets for trailscan, in their own package so that the main
// build never sees the fuzzer flags (apple/swift-protobuf FuzzTesting layout).
//
// Build and run with `scripts/fuzz.sh` (from the repository root), which
// passes `-Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library` to
// every Swift target, so TrailScanCore and TrailScanIO are instrumented too.
import PackageDescription

let package = Package(
    name: "FuzzTesting",
    dependencies: [
        .package(name: "trailscan", path: "..")
    ],
    targets: [
        // The chunked scan and the trap; the JSONSerialization reference
        // comes from the main package's (underscored) _TrailScanReference.
        .target(
            name: "FuzzSupport",
            dependencies: [
                .product(name: "TrailScanCore", package: "trailscan"),
                .product(name: "_TrailScanReference", package: "trailscan"),
            ]
        ),
        // Arbitrary bytes through TrailScanner with several chunkings; on
        // input the reference accepts, equal counts.
        .executableTarget(
            name: "FuzzScanner",
            dependencies: ["FuzzSupport", .product(name: "TrailScanCore", package: "trailscan")]
        ),
        // Arbitrary bytes as a digest file (and a list-public-keys file)
        // through TrailScanVerify's parser, merge and verdict.
        .executableTarget(
            name: "FuzzDigest",
            dependencies: ["FuzzSupport", .product(name: "TrailScanVerify", package: "trailscan")]
        ),
        // Arbitrary bytes through both validation modes: `--validate used`
        // consistent across chunkings, and equal to `--validate full` (and
        // to the reference) wherever full validation accepts.
        .executableTarget(
            name: "FuzzValidation",
            dependencies: ["FuzzSupport", .product(name: "TrailScanCore", package: "trailscan")]
        ),
        // Arbitrary bytes (raw, or gzip-compressed in members) through
        // FileScanner with a tiny window and a tiny record cap.
        .executableTarget(
            name: "FuzzInflate",
            dependencies: [
                "FuzzSupport",
                .product(name: "TrailScanCore", package: "trailscan"),
                .product(name: "TrailScanIO", package: "trailscan"),
                .product(name: "TrailScanWriter", package: "trailscan"),
            ]
        ),
    ]
)
