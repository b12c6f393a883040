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
        // Deterministic synthetic trails (tests, benchmarks, `trailscan generate`).
        .library(name: "TrailScanGenerator", targets: ["TrailScanGenerator"]),
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
        // Optional ISA-L inflater (`--inflater isal`). Real support is compiled
        // when <isa-l/igzip_lib.h> is present (apt-get install libisal-dev),
        // a stub otherwise; either way nothing extra is linked: libisal.so.2
        // is opened with dlopen at run time. -DTRAILSCAN_NO_ISAL (pass
        // `-Xcc -DTRAILSCAN_NO_ISAL`) builds the stub even with the header.
        .target(
            name: "CISAL",
            linkerSettings: [.linkedLibrary("dl", .when(platforms: [.linux]))]
        ),
        // PURE C, no libc calls: the gzip CRC-32 folded with PCLMULQDQ, which
        // zlib 1.2.13 computes a byte table at a time (x86-64; elsewhere
        // zlib keeps its own check).
        .target(name: "CGzipCRC"),
        // SQLite for the `--db` store, loaded at run time with dlopen so the
        // build needs no SQLite headers (only zlib1g-dev).
        .target(
            name: "CSQLite",
            linkerSettings: [.linkedLibrary("dl")]
        ),
        // PURE C, no libc calls: the movemask the scanner's string loop
        // uses on x86 (SSE2, header-only; Swift's SIMD has none; other
        // architectures keep the Swift SIMD code), and the structural
        // skipper of `--validate used` (AVX-512BW / AVX2 / SSE2 chosen at run
        // time with the compiler's CPU test, a portable loop elsewhere).
        .target(name: "CJSONKernel"),
        // PURE: bytes in, counts out. No Foundation, no syscalls, no zlib.
        .target(
            name: "TrailScanCore",
            dependencies: ["CJSONKernel"],
            swiftSettings: sharedSettings
        ),
        // PURE: deterministic synthetic CloudTrail records for the demo,
        // the tests and the benchmarks.
        .target(
            name: "TrailScanGenerator",
            swiftSettings: sharedSettings
        ),
        // IMPURE EDGE: files, mmap, zlib (and ISA-L), threads.
        .target(
            name: "TrailScanIO",
            dependencies: ["CZlib", "CGzipCRC", "CISAL", "TrailScanCore", "TrailScanGenerator"],
            swiftSettings: sharedSettings
        ),
        // The command line: ArgumentParser wiring and report rendering only.
        .executableTarget(
            name: "trailscan",
            dependencies: [
                "TrailScanCore", "TrailScanIO", "TrailScanGenerator", "CSQLite",
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
            dependencies: ["TrailScanCore", "TrailScanTestSupport", "TrailScanGenerator", "CJSONKernel"]
        ),
        .testTarget(
            name: "TrailScanIOTests",
            dependencies: ["TrailScanIO", "TrailScanCore", "CGzipCRC", "CZlib", "TrailScanTestSupport", "TrailScanGenerator"]
        ),
        .testTarget(
            name: "TrailScanCLITests",
            dependencies: ["trailscan", "TrailScanIO", "TrailScanTestSupport", "TrailScanGenerator"]
        ),
    ]
)
