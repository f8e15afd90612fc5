/// The pilot backend's scheduling: one MPI allocation of `workers + 1` ranks, rank 0 the master.
/// Each wave, the master packs ready tasks onto worker ranks (a task of R ranks takes R
/// consecutive workers); the ranks split into one communicator per task, each group runs its
/// task, the group leaders report to the master, and the next wave starts.
public struct PilotSchedule: Sendable {
    public let graph: TaskGraph
    public let workers: Int

    public init(graph: TaskGraph, workers: Int) {
        self.graph = graph
        self.workers = workers
    }

    /// One wave: task id per world rank (index 0 = master, always nil).
    public func wave(done: Set<String>, failed: Set<String>) -> [String?] {
        var assignment = [String?](repeating: nil, count: workers + 1)
        var next = 1
        var blocked: Set<String> = []
        for id in failed { blocked.formUnion(graph.downstream(of: id)) }
        for task in graph.tasks
        where !done.contains(task.id) && !failed.contains(task.id) && !blocked.contains(task.id)
            && task.inputs.allSatisfy(done.contains)
        {
            let ranks = min(task.resources.ranks ?? 1, workers)
            guard next + ranks <= workers + 1 else { continue }
            for rank in next..<next + ranks { assignment[rank] = task.id }
            next += ranks
        }
        return assignment
    }
}
