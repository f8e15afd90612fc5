import Foundation

nonisolated(unsafe) private var preemptionSignal: sig_atomic_t = 0

/// SIGUSR1 (Slurm's `--signal=B:USR1@N` before a time limit or preemption) and SIGTERM
/// (scancel, preemption) ask a training run to stop cleanly: finish the current step, write a
/// checkpoint, exit with `Preemption.exitStatus` so that the grid runner requeues the task.
public enum Preemption {
    /// The exit status of a run that stopped on a signal after checkpointing (EX_TEMPFAIL):
    /// "not finished, resume me".
    public static let exitStatus: Int32 = 75

    /// Installs the handlers (idempotent) and unblocks both signals in the calling thread: a parent
    /// that started this process from a thread with them blocked passes its mask on.
    public static func install() {
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        for s in [SIGUSR1, SIGTERM] {
            signal(s) { _ in preemptionSignal = 1 }
            sigaddset(&unblocked, s)
        }
        pthread_sigmask(SIG_UNBLOCK, &unblocked, nil)
    }

    /// Whether a stop was requested.
    public static var requested: Bool { preemptionSignal != 0 }
}

/// Thrown when a run stopped on a preemption signal after writing its checkpoint.
public struct TrainingPreempted: Error, CustomStringConvertible {
    public var checkpoint: String
    public var description: String {
        "stopped on a preemption signal after checkpointing \(checkpoint); resume with --resume (exit status \(Preemption.exitStatus))"
    }
}
