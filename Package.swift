// swift-tools-version:6.0
// jobmatch — system of record and matching engine for a disabled persons'
// employment service center. Module arrows point down only (see DESIGN.md):
//
//   CLibPQ → Postgres → EmbeddedPostgres, Store → Daemon → jobmatch
//   Domain → Intake, Matching, Quota → Render (words), Store, Daemon
//
// Domain, Intake, Matching and Quota are pure: no I/O, no clock, no logging.
import PackageDescription

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
        .target(name: "Intake", dependencies: ["Domain"]),
        .target(name: "Matching", dependencies: ["Domain"]),
        .target(name: "Quota", dependencies: ["Domain"]),
        // Words and files for people (pure): the zh/en message catalogue,
        // explanations, CSV/XLSX/JSON tables, the HTML report, letters.
        .target(name: "Render", dependencies: ["Domain", "Intake", "Quota", "Sheets"]),

        // SQL and the imperative shell.
        .target(
            name: "Store",
            dependencies: ["Postgres", "Domain", "Intake", "Matching", "Quota", "Sheets"]
        ),
        .target(
            name: "Daemon",
            dependencies: [
                "Store", "Postgres", "EmbeddedPostgres", "Domain", "Matching", "Quota", "Intake",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "jobmatch",
            dependencies: [
                "Daemon", "Store", "EmbeddedPostgres", "Postgres", "Domain", "Intake", "Matching", "Quota", "Render", "Sheets",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "TestSupport",
            dependencies: ["Postgres", "EmbeddedPostgres", "Store", "Domain"]
        ),

        // Benchmarks: executables that print figures (never timed tests).
        .executableTarget(name: "MatchBench", dependencies: ["Matching", "Domain"]),
        .executableTarget(name: "ImportBench", dependencies: ["Intake", "Domain", "Store", "Postgres", "EmbeddedPostgres"]),
        .executableTarget(name: "ReviewBench", dependencies: ["Quota", "Domain", "Store", "Postgres", "EmbeddedPostgres"]),

        .testTarget(name: "PostgresTests", dependencies: ["Postgres", "EmbeddedPostgres", "TestSupport"]),
        .testTarget(name: "DomainTests", dependencies: ["Domain"]),
        .testTarget(name: "IntakeTests", dependencies: ["Intake", "Domain"]),
        .testTarget(name: "MatchingTests", dependencies: ["Matching", "Domain"]),
        .testTarget(name: "QuotaTests", dependencies: ["Quota", "Domain"]),
        .testTarget(name: "RenderTests", dependencies: ["Render", "Domain", "Intake", "Quota"]),
        .testTarget(name: "StoreTests", dependencies: ["Store", "Render", "Daemon", "TestSupport", "Domain", "Intake", "Postgres"]),
        .testTarget(name: "DaemonTests", dependencies: [
            "Daemon", "TestSupport", "Store", "Postgres", "EmbeddedPostgres", .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "CLITests", dependencies: ["TestSupport", "Postgres", "Sheets"]),
        .testTarget(name: "SheetsTests", dependencies: ["Sheets", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
