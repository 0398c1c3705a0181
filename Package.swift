// swift-tools-version: 6.0
import PackageDescription

/// soc-tools: Unix filters that validate, scrub, deduplicate, filter and describe JSONL datasets
/// of LLM-generated chats and personas. One core library holds all behaviour; each tool is a thin
/// `@main` command over it. C libraries come in through system-library targets (a module map over
/// a small shim header each), installed from Debian's packages.
let tools: [(target: String, path: String)] = [
    ("soc-filter", "Sources/Filter"),
    ("soc-validate", "Sources/Validate"),
    ("soc-scrub", "Sources/Scrub"),
    ("soc-dedup", "Sources/Dedup"),
    ("soc-stats", "Sources/Stats"),
]

let argumentParser: Target.Dependency = .product(name: "ArgumentParser", package: "swift-argument-parser")

let package = Package(
    name: "soc-tools",
    products: tools.map { .executable(name: $0.target, targets: [$0.target]) }
        + [.library(name: "SOCCore", targets: ["SOCCore"])],
    dependencies: [
        // Pinned: the package ships executables, and Package.resolved stays out of git.
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2")
    ],
    targets: [
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CZstd", path: "Sources/CZstd", providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(name: "CBzip2", path: "Sources/CBzip2", providers: [.apt(["libbz2-dev"])]),
        .systemLibrary(name: "CLzma", path: "Sources/CLzma", providers: [.apt(["liblzma-dev"])]),
        .systemLibrary(name: "CPCRE2", path: "Sources/CPCRE2", providers: [.apt(["libpcre2-dev"])]),
        .systemLibrary(name: "CXXHash", path: "Sources/CXXHash", providers: [.apt(["libxxhash-dev"])]),
        .systemLibrary(name: "CSystem", path: "Sources/CSystem"),
        .target(
            name: "SOCCore",
            dependencies: ["CZlib", "CZstd", "CBzip2", "CLzma", "CPCRE2", "CXXHash", "CSystem", argumentParser],
            path: "Sources/SOCCore"
        ),
        // What both test targets share: temporary folders, repository paths and the shared-folder
        // lookup, and the chat fixture generator.
        .target(name: "SOCTestSupport", path: "Tests/SOCTestSupport"),
        .testTarget(
            name: "SOCCoreTests",
            dependencies: ["SOCCore", "SOCTestSupport"],
            path: "Tests/SOCCoreTests"
        ),
        // End-to-end tests: they spawn the built executables on real files and pipes.
        .testTarget(
            name: "ToolTests",
            dependencies: tools.map { .target(name: $0.target) } + ["SOCTestSupport"],
            path: "Tests/ToolTests"
        ),
    ]
        + tools.map {
            .executableTarget(name: $0.target, dependencies: ["SOCCore", argumentParser], path: $0.path)
        },
    swiftLanguageModes: [.v6]
)
