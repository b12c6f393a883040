// swift-tools-version: 6.1
// trailscan's benchmarks: a nested package, so that the main package never
// depends on ordo-one/benchmark (or its malloc interposer).
//
//   cd Benchmarks && swift package --allow-writing-to-package-directory benchmark
//
// See BENCHMARKS.md at the repository root.
import PackageDescription

import class Foundation.ProcessInfo

/// package-benchmark's traits. Its ARC counters (retainCount/releaseCount)
/// crash on Swift 6.3 for Linux without the RuntimeInterposer trait, which
/// needs ordo-one/swift-runtime-interposer; where that package can be had,
/// TRAILSCAN_BENCH_ARC=1 turns the trait and the ARC metrics on.
let benchmarkTraits: Set<Package.Dependency.Trait> =
    ProcessInfo.processInfo.environment["TRAILSCAN_BENCH_ARC"] != nil
    ? ["MallocInterposer", "RuntimeInterposer"] : ["MallocInterposer"]

/// Settings for every benchmark target: the hot loops are in TrailScanCore,
/// built by the parent package's own manifest; these only affect the drivers.
let benchmarkSettings: [SwiftSetting] = []

let package = Package(
    name: "TrailScanBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "trailscan", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: benchmarkTraits),
    ],
    targets: [
        // Shared by the suites: the in-memory corpus (1 MB documents built
        // from a generated trail) and its correctness checks.
        .target(
            name: "BenchmarkSupport",
            dependencies: [
                .product(name: "TrailScanGenerator", package: "trailscan"),
                .product(name: "TrailScanCore", package: "trailscan"),
                .product(name: "TrailScanIO", package: "trailscan"),
                .product(name: "TrailScanWriter", package: "trailscan"),
            ],
            path: "Sources/BenchmarkSupport",
            swiftSettings: benchmarkSettings
        ),
        // The scanner alone, on decoded JSON already in memory.
        .executableTarget(
            name: "ScannerBenchmarks",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "TrailScanCore", package: "trailscan"),
            ],
            path: "Benchmarks/ScannerBenchmarks",
            swiftSettings: benchmarkSettings,
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // The scanner alone in both validation modes, runs alternating (a
        // plain executable: BENCHMARKS.md §7).
        .executableTarget(
            name: "ScanThroughput",
            dependencies: [
                .product(name: "TrailScanCore", package: "trailscan"),
                .product(name: "TrailScanGenerator", package: "trailscan"),
            ],
            path: "Sources/ScanThroughput",
            swiftSettings: benchmarkSettings
        ),
        // Inflate alone (in memory), and read + inflate + scan per file.
        .executableTarget(
            name: "PipelineBenchmarks",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "TrailScanCore", package: "trailscan"),
                .product(name: "TrailScanIO", package: "trailscan"),
                .product(name: "TrailScanWriter", package: "trailscan"),
            ],
            path: "Benchmarks/PipelineBenchmarks",
            swiftSettings: benchmarkSettings,
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
