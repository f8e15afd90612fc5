import Grid
import Testing

/// A Pythia grid with pileup generates without the adapter's parton-level veto (its margins are
/// for events without pileup); one without pileup keeps it.
struct PythiaVetoGridTests {
    @Test func pileupTurnsThePartonVetoOff() throws {
        let pythia = ("  events: 1000", "  generator: pythia\n  events: 1000")
        let pileup = TaskGraph(spec: try Fixtures.variant(pythia.0, pythia.1))
        let generate = pileup.tasks.first { $0.stage == "generate" }!
        #expect(generate.arguments(run: "/r").contains("--no-parton-veto"))
        #expect(generate.parameters["parton_veto"] == "false")
        let spec = Fixtures.physics.replacingOccurrences(of: pythia.0, with: pythia.1)
            .replacingOccurrences(of: "means: [0, 20]", with: "means: [0]")
        let clean = TaskGraph(spec: try Fixtures.spec(spec)).tasks.first { $0.stage == "generate" }!
        #expect(!clean.arguments(run: "/r").contains("--no-parton-veto"))
        #expect(clean.parameters["parton_veto"] == nil)
        let fastsim = TaskGraph(spec: try Fixtures.spec()).tasks.first { $0.stage == "generate" }!
        #expect(!fastsim.arguments(run: "/r").contains("--no-parton-veto"))
    }
}
