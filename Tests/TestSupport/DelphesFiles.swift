import Foundation

/// Delphes-like ROOT files written with uproot in the venv of tools/pythia, for the tests of
/// `import-delphes` and of grids over files.
public enum DelphesFiles {
    /// Writes a Delphes-like file of `events` events and prints its contents as JSON. With
    /// `selectable`, every event has two VBF-like jets and large MET (it passes the baseline
    /// selection); otherwise random objects.
    public static func write(_ path: URL, events: Int, seed: Int, selectable: Bool) throws -> [[String: Any]] {
        let output = try Python.runInToolsVenv(
            """
            import json, sys, awkward as ak, numpy as np, uproot
            path, n, seed, selectable = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4] == '1'
            rng = np.random.default_rng(seed)
            def objects(counts, fields):
                return [{k: f(c).astype(np.float32).tolist() for k, f in fields.items()} for c in counts]
            def uniform(a, b): return lambda c: rng.uniform(a, b, c)
            towers = objects(rng.integers(0 if not selectable else 20, 60, n),
                             {'ET': uniform(0.5, 80), 'Eta': uniform(-4.9, 4.9), 'Phi': uniform(-3.1, 3.1)})
            jets = []
            for i in range(n):
                if selectable:
                    pt = [rng.uniform(150, 300), rng.uniform(60, 120)]
                    jets.append(dict(PT=pt, Eta=[rng.uniform(1.5, 3.5), rng.uniform(-2.9, -1.5)],
                                     Phi=[0.2, rng.uniform(-0.6, 0.6)], Mass=rng.uniform(5, 30, 2).tolist()))
                else:
                    c = int(rng.integers(0, 6))
                    jets.append(dict(PT=np.sort(rng.uniform(20, 400, c))[::-1].tolist(), Eta=rng.uniform(-4.7, 4.7, c).tolist(),
                                     Phi=rng.uniform(-3.1, 3.1, c).tolist(), Mass=rng.uniform(0, 40, c).tolist()))
            jets = [{k: np.asarray(v, np.float32).tolist() for k, v in j.items()} for j in jets]
            lepton_fields = {'PT': uniform(10, 100), 'Eta': uniform(-2.4, 2.4), 'Phi': uniform(-3.1, 3.1)}
            counts = (lambda: np.zeros(n, int)) if selectable else (lambda: rng.integers(0, 3, n))
            electrons, muons, photons = (objects(counts(), lepton_fields) for _ in range(3))
            met = [dict(MET=[np.float32(rng.uniform(250, 500) if selectable else rng.uniform(0, 400))],
                        Phi=[np.float32(rng.uniform(-3.1, -2.9) if selectable else rng.uniform(-3.1, 3.1))]) for _ in range(n)]
            weight = [dict(Weight=[np.float32(rng.uniform(0.5, 2))], Number=[i]) for i in range(n)]
            def record(rows, types):
                return ak.zip({k: ak.values_astype(ak.Array([r[k] for r in rows]), t) for k, t in types.items()})
            f32 = 'float32'
            branches = dict(
                Event=record(weight, dict(Weight=f32, Number='int64')),
                Tower=record(towers, dict(ET=f32, Eta=f32, Phi=f32)),
                Jet=record(jets, dict(PT=f32, Eta=f32, Phi=f32, Mass=f32)),
                Electron=record(electrons, dict(PT=f32, Eta=f32, Phi=f32)),
                Muon=record(muons, dict(PT=f32, Eta=f32, Phi=f32)),
                Photon=record(photons, dict(PT=f32, Eta=f32, Phi=f32)),
                MissingET=record(met, dict(MET=f32, Phi=f32)))
            with uproot.recreate(path) as f:
                f.mktree('Delphes', {k: v.type for k, v in branches.items()},
                         field_name=lambda outer, inner: f'{outer}.{inner}', counter_name=lambda counted: f'{counted}_size')
                f['Delphes'].extend(branches)
            rows = [dict(towers=towers[i], jets=jets[i], electrons=electrons[i], muons=muons[i], photons=photons[i],
                         met=[float(x) for x in (met[i]['MET'][0], met[i]['Phi'][0])], weight=float(weight[i]['Weight'][0]))
                    for i in range(n)]
            print(json.dumps(rows))
            """, [path.path, String(events), String(seed), selectable ? "1" : "0"])
        return try JSONSerialization.jsonObject(with: Data(output.utf8)) as! [[String: Any]]
    }
}
