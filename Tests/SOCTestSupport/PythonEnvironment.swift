import Foundation

/// The project's Python environment (`.build/pyenv`, made by `scripts/pyenv.sh` from `requirements/`).
public enum PythonEnvironment {
    /// The interpreter of the environment, or nil when it has not been made. When the variable
    /// `SOC_REQUIRE_PYENV` is set (as `scripts/test.sh` does) a missing environment is an error
    /// for the caller to report instead of a reason to skip.
    public static var python: URL? {
        let url = Repository.root.appendingPathComponent(".build/pyenv/bin/python")
        return FileManager.default.isExecutableFile(atPath: url.path) ? url : nil
    }

    /// Whether tests must fail rather than skip when the environment is missing.
    public static var isRequired: Bool {
        ProcessInfo.processInfo.environment["SOC_REQUIRE_PYENV"] != nil
    }
}
