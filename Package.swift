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
        // Offline verification of CloudTrail digest files (docs/verify.md).
        .library(name: "TrailScanVerify", targets: ["TrailScanVerify"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // SHA-256 (BoringSSL, with the CPU's SHA extensions) and RSA
        // PKCS#1 v1.5 signature checks for `trailscan verify`.
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
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
        // PURE C, no libc calls, header-only: the movemask the scanner's
        // string loop uses on x86 (SSE2; Swift's SIMD has none). Other
        // architectures keep the Swift SIMD code and do not call it.
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
        // PURE (no Foundation, no syscalls): CloudTrail digest files parsed,
        // facts merged from any number of readers, and the verdict (hashes,
        // chain, hour gaps, RSA signatures). Cryptography is swift-crypto's.
        .target(
            name: "TrailScanVerify",
            dependencies: [
                "TrailScanCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
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
                "TrailScanCore", "TrailScanIO", "TrailScanGenerator", "TrailScanVerify", "CSQLite",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: sharedSettings
        ),
        .target(
            name: "TrailScanTestSupport",
            dependencies: ["TrailScanCore", "TrailScanGenerator", "TrailScanVerify"],
            path: "Tests/TrailScanTestSupport"
        ),
        .testTarget(
            name: "TrailScanCoreTests",
            dependencies: ["TrailScanCore", "TrailScanTestSupport", "TrailScanGenerator"]
        ),
        .testTarget(
            name: "TrailScanIOTests",
            dependencies: ["TrailScanIO", "TrailScanCore", "CGzipCRC", "CZlib", "TrailScanTestSupport", "TrailScanGenerator"]
        ),
        .testTarget(
            name: "TrailScanVerifyTests",
            dependencies: ["TrailScanVerify", "TrailScanIO", "TrailScanGenerator", "TrailScanTestSupport"]
        ),
        .testTarget(
            name: "TrailScanCLITests",
            dependencies: ["trailscan", "TrailScanIO", "TrailScanTestSupport", "TrailScanGenerator", "TrailScanVerify"]
        ),
    ]
)
