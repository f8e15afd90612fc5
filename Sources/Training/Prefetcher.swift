import Foundation

/// Produces items 0..<count on a background thread, at most `depth` ahead of the consumer, so
/// that reading and decompressing overlaps with training. Errors reach the consumer in order.
///
/// The thread is joined by `cancel()` and by `deinit`, and everything it captured (the
/// `produce` closure and what it holds, such as open HDF5 files) is released on that thread
/// before the join returns. So no producer is still inside HDF5 when the consumer returns,
/// and the process never tears HDF5 down under a running reader.
public final class Prefetcher<Item: Sendable>: @unchecked Sendable {
    /// What the producer thread shares with the consumer; the thread never holds the Prefetcher
    /// itself, so the Prefetcher's `deinit` always runs on the consumer's thread.
    private final class State: @unchecked Sendable {
        var ready: [Int: Result<Item, Error>] = [:]
        var nextToConsume = 0
        var cancelled = false
        let condition = NSCondition()
    }

    private let state = State()
    private var thread: pthread_t?
    public let count: Int

    public init(count: Int, depth: Int = 3, produce: @escaping @Sendable (Int) throws -> Item) {
        self.count = count
        let state = self.state
        let body: () -> Void = {
            for i in 0..<count {
                state.condition.lock()
                while !state.cancelled && i - state.nextToConsume >= depth { state.condition.wait() }
                let stop = state.cancelled
                state.condition.unlock()
                if stop { return }
                let result = Result { try produce(i) }
                state.condition.lock()
                state.ready[i] = result
                state.condition.broadcast()
                state.condition.unlock()
                if case .failure = result { return }
            }
        }
        thread = JoinableThread.start(body)
    }

    /// The next item in order (blocks until it is ready); nil after the last one.
    public func next() throws -> Item? {
        state.condition.lock()
        defer { state.condition.unlock() }
        guard state.nextToConsume < count else { return nil }
        while state.ready[state.nextToConsume] == nil { state.condition.wait() }
        let result = state.ready.removeValue(forKey: state.nextToConsume)!
        state.nextToConsume += 1
        state.condition.broadcast()
        return try result.get()
    }

    /// Stops producing and waits for the thread to end (after the item it is working on).
    public func cancel() {
        state.condition.lock()
        state.cancelled = true
        state.condition.broadcast()
        state.condition.unlock()
        if let thread {
            pthread_join(thread, nil)
            self.thread = nil
        }
    }

    deinit { cancel() }
}

/// Joinable POSIX threads for closures (Foundation's `Thread` cannot be joined).
enum JoinableThread {
    /// Starts `body` on a joinable thread with a 4 MB stack. The closure is released on that
    /// thread when `body` returns, before `pthread_join` can return.
    static func start(_ body: @escaping () -> Void) -> pthread_t {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, 1 << 22)
        let context = Unmanaged.passRetained(Body(body)).toOpaque()
        var thread = pthread_t()
        let status = pthread_create(
            &thread, &attributes,
            { context in
                Unmanaged<Body>.fromOpaque(context!).takeRetainedValue().run()
                return nil
            }, context)
        precondition(status == 0, "pthread_create failed with \(status)")
        return thread
    }

    private final class Body {
        let run: () -> Void
        init(_ run: @escaping () -> Void) { self.run = run }
    }
}
