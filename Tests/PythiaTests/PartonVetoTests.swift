import Events
import Foundation
import Selection
import TestSupport
import Testing

/// The Pythia adapter's parton-level veto (tools/pythia/parton_veto.py): its decision function on
/// events built on either side of each part (Debian's python3: the module needs no Pythia), and
/// on a Pythia sample, where it must not reject any selected event, while `generate` records it
/// and keeps σ × n_events / n_generated right.
@Suite(.serialized)
struct PartonVetoTests {
    @Test func decisionFunctionOnBuiltEvents() throws {
        let output = try PythiaSamples.systemPython(
            """
            import math, sys
            sys.path.insert(0, sys.argv[1])
            from parton_veto import PartonVeto, boost
            v = PartonVeto()
            tag = [(150.0, 2.0, 0.0), (100.0, -2.0, 0.5)]
            met = [(-250.0, 0.0)]
            cases = {
                'vbf pair, met 250': (tag, met, [], False),
                'met bound 150 < 160': (tag, [(-150.0, 0.0)], [], True),
                'tau may be invisible: bound |nu + tau| = 180': (tag, [(-120.0, 0.0)], [(-60.0, 0.0)], False),
                'tau against nu: bound max(150, 50)': (tag, [(-150.0, 0.0)], [(100.0, 0.0)], True),
                'one hemisphere': ([(150.0, 2.0, 0.0), (100.0, 1.0, 0.5)], met, [], True),
                'hemisphere margin 0.1': ([(150.0, 2.0, 0.0), (100.0, 0.05, 0.5)], met, [], False),
                'delta eta 0.8 < 0.9': ([(150.0, 0.4, 0.0), (100.0, -0.4, 0.5)], met, [], True),
                'delta phi 1.7 > 1.6': ([(150.0, 2.0, 0.0), (100.0, -2.0, 1.7)], met, [], True),
                'one jet': ([(150.0, 2.0, 0.0)], met, [], True),
                'second tag dominated by two jets': ([(150.0, 2.0, 0.0), (140.0, 1.5, 0.3), (20.0, -2.0, 0.2)], met, [], True),
                'second tag not dominated': ([(150.0, 2.0, 0.0), (140.0, 1.5, 0.3), (100.0, -2.0, 0.2)], met, [], False),
                'leading tag 54 < 55 GeV': ([(54.0, 2.0, 0.0), (50.0, -2.0, 0.5)], met, [], True),
                'second tag 19 < 20 GeV': ([(150.0, 2.0, 0.0), (19.0, -2.0, 0.5)], met, [], True),
                'tags 55 and 20 GeV': ([(55.0, 2.0, 0.0), (20.0, -2.0, 0.5)], met, [], False),
                'jet aligned with met': (tag + [(60.0, 0.5, math.pi - 0.2)], met, [], True),
                'aligned jet below 45 GeV': (tag + [(40.0, 0.5, math.pi - 0.2)], met, [], False),
                'a tau may be the second tag': ([(150.0, 2.0, 0.0)], [(-250.0, 0.0)], [(60.0, 20.0, -1.5)], False),
                'a muon is no tag': ([(150.0, 2.0, 0.0)], [(-250.0, 0.0)], [(60.0, 20.0)], True),
                'aligned, met direction unknown (tau)': (tag + [(60.0, 0.5, math.pi - 0.2)], [(-200.0, 0.0)], [(-50.0, 0.0)], False),
            }
            for name, (partons, invisible, partial, veto) in cases.items():
                assert (v.decide(partons, invisible, partial) != '') == veto, name
            # Cones: a parton within R = 0.5 of a harder one joins its jet (p_T summed as vectors).
            jets = v.jets([(100.0, 2.0, 0.0), (50.0, 2.2, 0.3), (30.0, -1.0, 3.0), (10.0, 0.0, 1.0)])
            px, py = 100.0 + 50.0 * math.cos(0.3), 50.0 * math.sin(0.3)
            assert len(jets) == 2, jets
            assert abs(jets[0][0] - math.hypot(px, py)) < 1e-9 and abs(jets[0][1] - (200.0 + 110.0) / 150.0) < 1e-12
            assert abs(jets[1][0] - 30.0) < 1e-12
            # Boosts: into the rest frame of P and back; the mass is kept.
            P = (30.0, -40.0, 300.0, math.sqrt(30**2 + 40**2 + 300**2 + 80.4**2))
            rest = boost(P, (-P[0], -P[1], -P[2], P[3]))
            assert max(abs(x) for x in rest[:3]) < 1e-9 and abs(rest[3] - 80.4) < 1e-9, rest
            d = (10.0, 20.0, -5.0, math.sqrt(525.0))
            back = boost(boost(d, P), (-P[0], -P[1], -P[2], P[3]))
            assert max(abs(a - b) for a, b in zip(back, d)) < 1e-9, back
            assert v.decide(tag, [(-150.0, 0.0)], []) == 'm' and v.decide(tag[:1], met, []) == 'j'
            assert v.decide(tag + [(60.0, 0.5, math.pi - 0.2)], met, []) == 'a'
            print(v.describe())
            """, [TestPaths.repositoryRoot.appendingPathComponent("tools/pythia").path])
        #expect(output.contains("scale=10 met_floor=160"), "\(output)")
    }

    @Test func judgingRunIsTheUnvetoedRun() throws {
        // `--veto record` only interrupts Pythia's evolution to judge, so its events are those of
        // `--veto off` with the same seed: the loss it measures is against the unvetoed run.
        let folder = TestPaths.temporaryDirectory("parton-veto-judge").path
        let output = try Python.runInToolsVenv(
            """
            import subprocess, sys, h5py, numpy as np
            script, folder = sys.argv[1], sys.argv[2]
            for mode in ('off', 'record'):
                extra = ['--verdicts', folder + '/v.txt'] if mode == 'record' else []
                subprocess.run([sys.executable, script, '--channel', 'Z_QCD', '--events', '40', '--seed', '1',
                                '--pythia-seed', '99', '--out', f'{folder}/{mode}.h5', '--veto', mode] + extra, check=True)
            with h5py.File(folder + '/off.h5') as a, h5py.File(folder + '/record.h5') as b:
                for k in ('particles/offsets', 'particles/pt', 'particles/eta', 'particles/phi', 'particles/pid'):
                    assert np.array_equal(a[k][...], b[k][...]), k
                assert a.attrs['n_generated'] == b.attrs['n_generated'] == 40
            verdicts = open(folder + '/v.txt').read().strip()
            assert len(verdicts) == 40 and set(verdicts) <= set('0mja'), verdicts
            print('same', verdicts.count('0'))
            """,
            [TestPaths.repositoryRoot.appendingPathComponent("tools/pythia/pythia_generate.py").path, folder])
        #expect(output.hasPrefix("same"), "\(output)")
    }

    @Test func vetoRejectsNoSelectedEventAndKeepsTheBookkeeping() throws {
        let folder = TestPaths.temporaryDirectory("parton-veto")
        let events = 400, pythiaSeed = 4242
        // The veto judging only: every event written, with its verdict.
        let particles = folder.appendingPathComponent("judged.particles.h5").path
        let verdicts = folder.appendingPathComponent("verdicts.txt").path
        _ = try Python.runInToolsVenv(
            "import os, runpy, sys; sys.argv = sys.argv[1:]; sys.path.insert(0, os.path.dirname(sys.argv[0])); "
                + "runpy.run_path(sys.argv[0], run_name='__main__')",
            [
                TestPaths.repositoryRoot.appendingPathComponent("tools/pythia/pythia_generate.py").path,
                "--channel", "S_EW", "--events", String(events), "--seed", "3",
                "--pythia-seed", String(pythiaSeed), "--out", particles, "--veto", "record", "--verdicts", verdicts,
            ])
        let judged = folder.appendingPathComponent("judged.h5").path
        let detector = try Launcher.vbfgrid(["detector", "--input", particles, "--out", judged])
        #expect(detector.status == 0, "\(detector.combined)")
        let flags = Array(try String(contentsOfFile: verdicts, encoding: .utf8).trimmingCharacters(in: .newlines))
        #expect(flags.count == events)
        let reader = try EventFileReader(path: judged)
        #expect(reader.header.generator.contains("parton-level veto record (scale=10 met_floor=160"))
        let selection = BaselineSelection()
        var selected = 0, lost = 0, index = 0
        try reader.forEachChunk { chunk in
            for event in chunk {
                if selection.passes(event) {
                    selected += 1
                    if flags[index] != "0" { lost += 1 }
                }
                index += 1
            }
        }
        let vetoed = flags.filter { $0 != "0" }.count
        #expect(selected > 40 && lost == 0, "\(lost) of \(selected) selected events would have been vetoed")
        #expect(vetoed > events / 10, "the veto judged only \(vetoed) of \(events) events hopeless")

        // `generate` with the veto (the default), and without it.
        let onPath = folder.appendingPathComponent("on.h5").path
        let on = try Launcher.vbfgrid([
            "generate", "--generator", "pythia", "--channel", "S_EW", "--events", String(events), "--seed", "3",
            "--out", onPath,
        ])
        #expect(on.status == 0, "\(on.combined)")
        let onHeader = try EventFileReader(path: onPath).header
        #expect(onHeader.generator.contains("parton-level veto on (scale=10 met_floor=160"), "\(onHeader.generator)")
        let off = try Launcher.vbfgrid([
            "generate", "--generator", "pythia", "--channel", "S_EW", "--events", "20", "--seed", "3",
            "--out", folder.appendingPathComponent("off.h5").path, "--no-parton-veto",
        ])
        #expect(off.status == 0, "\(off.combined)")
        #expect(
            try EventFileReader(path: folder.appendingPathComponent("off.h5").path).header.generator
                .contains("parton-level veto off"))
        // σ of the written events: with the veto, that of the events it keeps (±15%: 400 events,
        // and Pythia's σ estimates); vetoed events count in n_generated.
        func sigma(_ header: FileHeader, _ n: Int) -> Double {
            header.crossSectionFb * Double(n) / Double(header.nGenerated)
        }
        let kept = sigma(reader.header, events - vetoed), written = sigma(onHeader, events)
        #expect(abs(written / kept - 1) < 0.15, "σ of the written events \(written) fb, of the kept ones \(kept) fb")
    }
}
