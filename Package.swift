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
        .library(name: "TrailScanEngine", targets: ["TrailScanEngine"]),
        // Deterministic synthetic trails (tests, benchmarks, `trailscan generate`).
        .library(name: "TrailScanGenerator", targets: ["TrailScanGenerator"]),
        .library(name: "TrailScanWriter", targets: ["TrailScanWriter"]),
        // The test reference, for the FuzzTesting package (not API).
        .library(name: "_TrailScanReference", targets: ["_TrailScanReference"]),
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
        //
        // The header is listed in CISAL.c's dependency file even when it is
        // absent (-fdepfile-entry), so a build made without it recompiles
        // CISAL.c once libisal-dev is installed (and again if it is removed),
        // with no clean: the build system sees the path appear. The flag is
        // only a depfile entry; it changes nothing in the compiled code.
        .target(
            name: "CISAL",
            cSettings: [.unsafeFlags(["-Xclang", "-fdepfile-entry=/usr/include/isa-l/igzip_lib.h"])],
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
            dependencies: ["CZlib", "CGzipCRC", "CISAL", "TrailScanCore"],
            swiftSettings: sharedSettings
        ),
        // The writing side: gzip compression and generated trails written
        // to disk (`trailscan generate`, tests, benchmarks). Kept out of
        // TrailScanIO, which only reads.
        .target(
            name: "TrailScanWriter",
            dependencies: ["CZlib", "TrailScanIO", "TrailScanGenerator"],
            swiftSettings: sharedSettings
        ),
        // The back half: a scan of roots (or of one shard) into a partial,
        // the `--db` store of partials. Everything that decides an answer
        // lives here or in the core, not in the command line.
        .target(
            name: "TrailScanEngine",
            dependencies: ["TrailScanCore", "TrailScanIO", "TrailScanVerify", "CSQLite"],
            swiftSettings: sharedSettings
        ),
        // The command line: parses arguments, calls the engine, writes output.
        .executableTarget(
            name: "trailscan",
            dependencies: [
                "TrailScanCore", "TrailScanIO", "TrailScanEngine", "TrailScanGenerator", "TrailScanWriter",
                "TrailScanVerify",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: sharedSettings
        ),
        // NOT API (underscored): the slow, obviously correct reference of
        // the counting rules (Foundation's JSONSerialization + the rules of
        // docs/counting.md), shared by the tests and the fuzz targets.
        .target(
            name: "_TrailScanReference",
            dependencies: ["TrailScanCore"]
        ),
        .target(
            name: "TrailScanTestSupport",
            dependencies: ["TrailScanCore", "TrailScanGenerator", "_TrailScanReference", "TrailScanVerify"],
            path: "Tests/TrailScanTestSupport"
        ),
        .testTarget(
            name: "TrailScanCoreTests",
            dependencies: ["TrailScanCore", "TrailScanTestSupport", "TrailScanGenerator", "CJSONKernel"]
        ),
        .testTarget(
            name: "TrailScanIOTests",
            dependencies: [
                "TrailScanIO", "TrailScanCore", "CGzipCRC", "CZlib", "TrailScanTestSupport", "TrailScanGenerator",
                "TrailScanWriter",
            ]
        ),
        .testTarget(
            name: "TrailScanEngineTests",
            dependencies: [
                "TrailScanEngine", "TrailScanIO", "TrailScanCore", "TrailScanTestSupport", "TrailScanGenerator",
                "TrailScanWriter",
            ]
        ),
        .testTarget(
            name: "TrailScanVerifyTests",
            dependencies: ["TrailScanVerify", "TrailScanIO", "TrailScanGenerator", "TrailScanTestSupport"]
        ),
        .testTarget(
            name: "TrailScanCLITests",
            dependencies: [
                "trailscan", "TrailScanIO", "TrailScanTestSupport", "TrailScanGenerator", "TrailScanWriter",
                "TrailScanVerify",
            ]
        ),
    ]
)
