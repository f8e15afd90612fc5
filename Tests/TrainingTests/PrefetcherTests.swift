import Foundation
import Testing
import Training

/// The prefetcher's thread is joined: once `cancel()` (or the end of the consumer's scope)
/// returns, the producer has stopped and everything its closure held has been released, so no
/// reader can still be inside HDF5 when training returns and the process exits.
struct PrefetcherTests {
    /// Stands for a resource the producer holds (an open shard); counts live instances.
    final class Resource: @unchecked Sendable {
        nonisolated(unsafe) static var live = 0
        static let lock = NSLock()
        init() { Resource.lock.withLock { Resource.live += 1 } }
        deinit { Resource.lock.withLock { Resource.live -= 1 } }
        func item(_ i: Int) -> Int {
            usleep(2_000)
            return i * i
        }
    }

    static var liveResources: Int { Resource.lock.withLock { Resource.live } }

    @Test func itemsArriveInOrderAndErrorsReachTheConsumer() throws {
        struct Failure: Error {}
        let prefetcher = Prefetcher(count: 6, depth: 2) { i -> Int in
            if i == 4 { throw Failure() }
            return 10 * i
        }
        for i in 0..<4 { #expect(try prefetcher.next() == 10 * i) }
        #expect(throws: Failure.self) { try prefetcher.next() }
    }

    @Test func cancelJoinsTheProducerAndReleasesWhatItHeld() throws {
        #expect(Self.liveResources == 0)
        var resource: Resource? = Resource()
        let prefetcher = Prefetcher(count: 1_000, depth: 3) { [resource] i in resource!.item(i) }
        resource = nil
        #expect(try prefetcher.next() == 0)
        #expect(try prefetcher.next() == 1)
        prefetcher.cancel() // the producer is mid-item or waiting for room
        #expect(Self.liveResources == 0, "the producer's closure was not released when cancel() returned")
    }

    @Test func leavingTheScopeJoinsTheProducer() throws {
        do {
            let resource = Resource()
            let prefetcher = Prefetcher(count: 1_000, depth: 3) { [resource] i in resource.item(i) }
            #expect(try prefetcher.next() == 0)
        }
        #expect(Self.liveResources == 0)
    }
}
