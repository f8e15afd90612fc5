import Outputs

/// The lock of a run folder (`RunDirectory.lockPath`): one grid runner at a time.
public enum RunLock {
    /// Takes the lock or throws naming the holder.
    public static func take(run: RunDirectory, purpose: String) throws -> FolderLock {
        try FolderLock(
            path: run.lockPath, purpose: purpose,
            busyHint: "wait for it, or `vbfgrid grid cancel \(run.path)`")
    }

    /// Who holds the run's lock, if anyone.
    public static func holder(of run: RunDirectory) -> FolderLock.Holder? { FolderLock.holder(path: run.lockPath) }
}
