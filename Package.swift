// swift-tools-version: 6.2
import PackageDescription

/// Settings every target shares (swift-nio style: one array, applied per target).
let sharedSettings: [SwiftSetting] = [
    // TRAILSCAN_INTERNAL_CHECKS turns on expensive invariant checks inside the
    // scanner and the tables (re-validating slices, table consistency after
    // every merge). It is for CI and debugging only and must never ship in a
    // release build: it costs a large constant factor in the hot loop.
    // Enable with `swift build -Xswiftc -DTRAILSCAN_INTERNAL_CHECKS`.
]

let package = Package(
    name: "trailscan",
    products: [
        .executable(name: "trailscan", targets: ["trailscan"]),
        .library(name: "TrailScanCore", targets: ["TrailScanCore"]),
        .library(name: "TrailScanIO", targets: ["TrailScanIO"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0")
    ],
    targets: [
        // System zlib. The shim wraps zlib's function-like macros
        // (inflateInit2, deflateInit2), which Swift cannot import.
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // PURE: bytes in, counts out. No Foundation, no syscalls, no zlib.
        .target(
            name: "TrailScanCore",
            swiftSettings: sharedSettings
        ),
        // PURE: deterministic synthetic CloudTrail records for the demo,
        // the tests and the benchmarks.
        .target(
            name: "TrailScanGenerator",
            swiftSettings: sharedSettings
        ),
        // IMPURE EDGE: files, mmap, zlib, threads.
        .target(
            name: "TrailScanIO",
            dependencies: ["CZlib", "TrailScanCore", "TrailScanGenerator"],
            swiftSettings: sharedSettings
        ),
        // The command line: ArgumentParser wiring and report rendering only.
        .executableTarget(
            name: "trailscan",
            dependencies: [
                "TrailScanCore", "TrailScanIO", "TrailScanGenerator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: sharedSettings
        ),
        .target(
            name: "TrailScanTestSupport",
            dependencies: ["TrailScanCore", "TrailScanGenerator"],
            path: "Tests/TrailScanTestSupport"
        ),
        .testTarget(
            name: "TrailScanCoreTests",
            dependencies: ["TrailScanCore", "TrailScanTestSupport", "TrailScanGenerator"]
        ),
        .testTarget(
            name: "TrailScanIOTests",
            dependencies: ["TrailScanIO", "TrailScanCore", "TrailScanTestSupport", "TrailScanGenerator"]
        ),
        .testTarget(
            name: "TrailScanCLITests",
            dependencies: ["trailscan", "TrailScanIO", "TrailScanTestSupport", "TrailScanGenerator"]
        ),
    ]
)
