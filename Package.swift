// swift-tools-version:6.0
// jobmatch — system of record and matching engine for a disabled persons'
// employment service center. Module arrows point down only (see DESIGN.md):
//
//   CLibPQ → Postgres → EmbeddedPostgres, Store → App → Daemon → jobmatch
//   Store, App → Web (pages and /api/v1 over Hummingbird) → jobmatch
//   Domain → Intake, Matching, Quota → Render (words), Store, App
//   Checksum → Quota, Store;  Parallelism → Intake, Store, App
//
// Domain, Checksum, Intake, Matching and Quota are pure: no I/O, no clock, no
// logging. Parallelism (Dispatch threads) is the one helper that is not.
import PackageDescription

/// The daemon's test hooks (JOBMATCH_TEST_NOW, JOBMATCH_TEST_EXECUTOR) exist in debug
/// builds only, which the tests use: the release binary reads no JOBMATCH_TEST_ variable.
let testHooks: [SwiftSetting] = [.define("JOBMATCH_TEST_HOOKS", .when(configuration: .debug))]

let package = Package(
    name: "jobmatch",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "jobmatch", targets: ["jobmatch"]),
    ],
    dependencies: [
        // Command-line parsing: the ecosystem's standard, tiny, no transitive deps.
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // Structured logging API that the server ecosystem shares.
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        // serve: one ServiceGroup (ordered start, graceful shutdown, signals) runs the
        // HTTP servers, the scheduler and the queue worker (issue 14).
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // HTTP on SwiftNIO: the metrics/health endpoint now, the staff web application next.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        // Already in Hummingbird's graph; named for the metrics endpoint's two channel handlers.
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        // Metrics API + its Prometheus exposition (replaces the hand-written text).
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // bcrypt (in C) for the front desk's passwords (issue 14).
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
    ],
    targets: [
        // C: the system libpq, found through pkg-config (apt: libpq-dev).
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"]), .brew(["libpq"])]
        ),
        // The only importer of CLibPQ: a small, safe libpq wrapper.
        .target(name: "Postgres", dependencies: ["CLibPQ"]),
        // initdb/pg_ctl management of a local cluster (demo, tests, no-URL default).
        .target(name: "EmbeddedPostgres", dependencies: ["Postgres"]),

        // C: the system zlib (apt: zlib1g-dev), for the ZIP container of .xlsx files.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]),
        // Workbooks: our own .xlsx reader (ZIP + streaming XML) and writer (issue 15).
        .target(name: "Sheets", dependencies: ["CZlib"]),

        // Pure modules.
        .target(name: "Domain"),
        // SHA-256, for the audit trail's file hashes (Store) and certificate digests (Quota).
        .target(name: "Checksum"),
        // Not pure: `concurrentMap` on Dispatch threads, sized from ProcessInfo (Intake, Store).
        .target(name: "Parallelism"),
        .target(name: "Intake", dependencies: ["Domain", "Parallelism"]),
        .target(name: "Matching", dependencies: ["Domain"]),
        .target(name: "Quota", dependencies: ["Domain", "Checksum"]),
        // Words and files for people (pure): the zh/en message catalogue,
        // explanations, CSV/XLSX/JSON tables, the HTML report, letters.
        .target(name: "Render", dependencies: ["Domain", "Intake", "Matching", "Quota", "Sheets"]),

        // SQL and the imperative shell.
        .target(
            name: "Store",
            dependencies: ["Postgres", "Domain", "Intake", "Matching", "Quota", "Sheets", "Checksum", "Parallelism"]
        ),
        // The use cases: the one place the CLI, the daemon and the web call.
        .target(
            name: "App",
            dependencies: ["Store", "Postgres", "Domain", "Intake", "Matching", "Quota", "Sheets", "Checksum", "Parallelism"]
        ),
        .target(
            name: "Daemon",
            dependencies: [
                "App", "Store", "Postgres", "EmbeddedPostgres", "Domain", "Matching", "Quota", "Intake",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: testHooks
        ),
        // The front desk: pages and /api/v1 over Hummingbird (issue 14).
        .target(
            name: "Web",
            dependencies: [
                "App", "Store", "Postgres", "Domain", "Checksum", "Intake", "Quota", "Render", "Sheets",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "jobmatch",
            dependencies: [
                "App", "Daemon", "Store", "EmbeddedPostgres", "Postgres", "Domain", "Intake", "Matching", "Quota", "Render", "Sheets", "Web",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: testHooks
        ),
        .target(
            name: "TestSupport",
            dependencies: ["Postgres", "EmbeddedPostgres", "Store", "App", "Domain"]
        ),

        // Benchmarks: executables that print figures (never timed tests).
        .executableTarget(name: "MatchBench", dependencies: ["Matching", "Domain"]),
        .executableTarget(name: "ImportBench", dependencies: ["Intake", "Domain", "Store", "Postgres", "EmbeddedPostgres"]),
        .executableTarget(name: "ReviewBench", dependencies: ["Quota", "Domain", "Render", "Store", "App", "Postgres", "EmbeddedPostgres"]),

        .testTarget(name: "PostgresTests", dependencies: ["Postgres", "EmbeddedPostgres", "TestSupport"]),
        .testTarget(name: "DomainTests", dependencies: ["Domain", "Checksum", "Parallelism"]),
        .testTarget(name: "IntakeTests", dependencies: ["Intake", "Domain"]),
        .testTarget(name: "MatchingTests", dependencies: ["Matching", "Domain"]),
        .testTarget(name: "QuotaTests", dependencies: ["Quota", "Domain", "Render"]),
        .testTarget(name: "RenderTests", dependencies: ["Render", "Domain", "Intake", "Matching", "Quota", "Sheets"]),
        .testTarget(name: "StoreTests", dependencies: ["Store", "App", "Render", "TestSupport", "Domain", "Intake", "Postgres"]),
        .testTarget(name: "AppTests", dependencies: ["App", "Store", "Render", "TestSupport", "Domain", "Intake", "Quota", "Postgres"]),
        .testTarget(name: "DaemonTests", dependencies: [
            "Daemon", "TestSupport", "Store", "Postgres", "EmbeddedPostgres", .product(name: "Logging", package: "swift-log"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        .testTarget(name: "CLITests", dependencies: ["TestSupport", "Postgres", "Sheets"]),
        .testTarget(name: "SheetsTests", dependencies: ["Sheets", "TestSupport"]),
        .testTarget(name: "WebTests", dependencies: [
            "Web", "TestSupport", "Store", "Postgres", "Domain", "Render",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)
