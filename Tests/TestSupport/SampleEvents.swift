import Foundation

/// Small fastsim samples of the six channels and a min-bias library, generated once per test
/// run with the real `vbfgrid generate` (a failure is thrown to every test that asks).
public enum SampleEvents {
    private static let generated = Result<URL, any Error> {
        let dir = TestPaths.temporaryDirectory("sample-events")
        for (channel, events) in [
            ("S_EW", 1200), ("S_QCD", 1600), ("Z_QCD", 1600), ("W_QCD", 3000), ("Z_EW", 800), ("W_EW", 800),
            ("minbias", 600),
        ] {
            try Launcher.vbfgrid([
                "generate", "--channel", channel, "--events", String(events), "--seed", "21",
                "--out", dir.appendingPathComponent(channel).path, "--shard-size", "400",
            ]).succeeded()
        }
        return dir
    }

    /// The folder holding one sub-folder per sample.
    public static func folder() throws -> URL { try generated.get() }

    /// The six physics channels' folders.
    public static func physics() throws -> [String] {
        let folder = try folder()
        return ["S_EW", "S_QCD", "Z_QCD", "W_QCD", "Z_EW", "W_EW"].map { folder.appendingPathComponent($0).path }
    }

    /// The min-bias library's folder.
    public static func minbias() throws -> String { try folder().appendingPathComponent("minbias").path }

    /// Every file below `dir` with its bytes (relative path → data).
    public static func contents(_ dir: URL) throws -> [String: Data] {
        var out: [String: Data] = [:]
        guard let enumerator = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: [.isRegularFileKey])
        else {
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: dir.path])
        }
        for case let url as URL in enumerator
        where (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true {
            out[String(url.path.dropFirst(dir.path.count + 1))] = try Data(contentsOf: url)
        }
        return out
    }
}
