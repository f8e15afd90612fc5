import Foundation
import TestSupport
import Testing

@testable import Checksum

/// SHA-256 against the FIPS 180-4 test vectors and against Python's hashlib on a file.
struct SHA256Tests {
    @Test func fipsVectors() {
        #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(
            SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(
            SHA256.hex([UInt8](repeating: 0x61, count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// The CPU's SHA instructions (when this machine has them) and the Swift rounds agree on
    /// inputs of every length around the 64-byte block and padding boundaries.
    @Test func hardwareAndPortableRoundsAgree() {
        let bytes = (0..<5_000).map { UInt8(truncatingIfNeeded: $0 &* 2654435761 >> 11) }
        for length in Array(0...200) + [1_000, 4_095, 4_096, 4_097, 5_000] {
            var fast = SHA256(), portable = SHA256(portable: true)
            fast.update(Data(bytes.prefix(length)))
            portable.update(Data(bytes.prefix(length)))
            #expect(fast.finalize() == portable.finalize(), "\(length) bytes")
        }
    }

    @Test func fileDigestMatchesHashlib() throws {
        let path = TestPaths.temporaryDirectory("sha").appendingPathComponent("blob.bin").path
        let bytes = (0..<3_000_017).map { UInt8(truncatingIfNeeded: $0 &* 2654435761 >> 7) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let python = try Launcher.run(
            "/usr/bin/python3",
            [
                "-c",
                "import hashlib,sys; print(hashlib.sha256(open(sys.argv[1],'rb').read()).hexdigest())", path,
            ])
        #expect(python.status == 0)
        #expect(try SHA256.hex(fileAt: path) == python.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
