import CSHA256
import Foundation

/// SHA-256 (FIPS 180-4), for content checksums of source files in manifests and for the
/// stable ids of grid tasks. Streaming: `update` any number of times, then `finalize`.
///
/// ```swift
/// SHA256.hex("abc")   // "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
/// ```
public struct SHA256: Sendable {
    private var state: [UInt32] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
    ]
    private var buffer: [UInt8] = []
    private var length: UInt64 = 0

    /// Whether this hasher uses the CPU's SHA instructions.
    private let usesHardware: Bool

    public init() { usesHardware = SHA256.hardware }

    /// A hasher that uses only the Swift rounds (to check the two against each other).
    init(portable: Bool) { usesHardware = SHA256.hardware && !portable }

    /// Feeds more bytes.
    public mutating func update<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        for byte in bytes {
            buffer.append(byte)
            length &+= 1
            if buffer.count == 64 {
                compress()
                buffer.removeAll(keepingCapacity: true)
            }
        }
    }

    /// Feeds a block of memory (the fast path for files: whole 64-byte blocks are compressed
    /// straight from it).
    public mutating func update(_ data: Data) {
        data.withUnsafeBytes { update(raw: $0) }
    }

    /// Feeds the bytes of a block of memory.
    public mutating func update(raw: UnsafeRawBufferPointer) {
        var offset = 0
        if !buffer.isEmpty {
            offset = min(64 - buffer.count, raw.count)
            update(raw[0..<offset])
        }
        let blocks = (raw.count - offset) / 64
        if blocks > 0 {
            compress(UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + 64 * blocks)]))
            length &+= UInt64(64 * blocks)
            offset += 64 * blocks
        }
        if offset < raw.count { update(raw[offset...]) }
    }

    /// The 32-byte digest; the hasher should not be used afterwards.
    public mutating func finalize() -> [UInt8] {
        let bits = length &* 8
        update([0x80])
        while buffer.count != 56 { update([0]) }
        update((0..<8).map { UInt8(truncatingIfNeeded: bits >> (56 - 8 * $0)) })
        return state.flatMap { word in (0..<4).map { UInt8(truncatingIfNeeded: word >> (24 - 8 * $0)) } }
    }

    /// Lower-case hex digest of `bytes`.
    public static func hex<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var hasher = SHA256()
        hasher.update(bytes)
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// Lower-case hex digest of a string's UTF-8 bytes.
    public static func hex(_ text: String) -> String { hex(Array(text.utf8)) }

    /// Lower-case hex digest of a file, read in 1 MiB blocks.
    public static func hex(fileAt path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path])
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        while let block = try handle.read(upToCount: 1 << 20), !block.isEmpty { hasher.update(block) }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// Compresses the 64 bytes in `buffer`.
    private mutating func compress() {
        let block = buffer // a copy: compress mutates self
        block.withUnsafeBytes { compress($0) }
    }

    /// Whether this CPU has the SHA extensions (checked once).
    static let hardware = csha256_hardware_available() != 0

    /// Compresses whole 64-byte blocks, with the CPU's SHA instructions when it has them
    /// (≈ 5× faster than the Swift rounds below, which the tests also check them against).
    private mutating func compress(_ blocks: UnsafeRawBufferPointer) {
        if usesHardware {
            state.withUnsafeMutableBufferPointer { state in
                csha256_hardware_blocks(
                    state.baseAddress!, blocks.baseAddress!.assumingMemoryBound(to: UInt8.self), blocks.count / 64)
            }
            return
        }
        compressPortably(blocks)
    }

    /// The FIPS 180-4 rounds in Swift.
    private mutating func compressPortably(_ blocks: UnsafeRawBufferPointer) {
        func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }
        var h0 = state[0], h1 = state[1], h2 = state[2], h3 = state[3]
        var h4 = state[4], h5 = state[5], h6 = state[6], h7 = state[7]
        let k = UnsafeBufferPointer(start: csha256_round_constants(), count: 64) // shared with the C side
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
            for base in stride(from: 0, to: blocks.count, by: 64) {
                for t in 0..<16 {
                    w[t] = UInt32(bigEndian: blocks.loadUnaligned(fromByteOffset: base + 4 * t, as: UInt32.self))
                }
                for t in 16..<64 {
                    let s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3)
                    let s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10)
                    w[t] = w[t - 16] &+ s0 &+ w[t - 7] &+ s1
                }
                var (a, b, c, d, e, f, g, h) = (h0, h1, h2, h3, h4, h5, h6, h7)
                for t in 0..<64 {
                    let s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
                    let t1 = h &+ s1 &+ ((e & f) ^ (~e & g)) &+ k[t] &+ w[t]
                    let s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
                    let t2 = s0 &+ ((a & b) ^ (a & c) ^ (b & c))
                    (h, g, f, e, d, c, b, a) = (g, f, e, d &+ t1, c, b, a, t1 &+ t2)
                }
                h0 &+= a
                h1 &+= b
                h2 &+= c
                h3 &+= d
                h4 &+= e
                h5 &+= f
                h6 &+= g
                h7 &+= h
            }
        }
        state = [h0, h1, h2, h3, h4, h5, h6, h7]
    }
}
