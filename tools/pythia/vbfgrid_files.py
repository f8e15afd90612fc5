"""Writers of vbfgrid's HDF5 event formats (docs/formats.md): `vbfgrid.particles` v1 and
`vbfgrid.events` v1, streamed in flushes of at most 4,096 events, written under a temporary
name and renamed into place. Equal inputs give byte-identical files (no timestamps)."""

import os

import h5py
import numpy as np

CHANNEL_IDS = {"S_EW": 0, "S_QCD": 1, "Z_QCD": 2, "W_QCD": 3, "Z_EW": 4, "W_EW": 5, "MINBIAS": 6}
FLUSH_EVENTS = 4096


def channel_name(name):
    """The canonical channel name for a name given on the command line (`s_ew`, `minbias`…)."""
    key = name.upper().replace("_", "")
    for canonical in CHANNEL_IDS:
        if canonical.replace("_", "") == key:
            return canonical
    raise ValueError(f"unknown channel '{name}'; valid channels: {', '.join(CHANNEL_IDS)}")


# How a column is compressed (docs/formats.md): smooth numbers shuffle + deflate 4, tower cell
# centres deflate 1 without the shuffle, tower energies stored as they are.
SMOOTH = dict(shuffle=True, compression="gzip", compression_opts=4)
GRID_VALUES = dict(compression="gzip", compression_opts=1)
UNCOMPRESSED = {}


class _Jagged:
    """One jagged group: 1-D columns of equal flat length and `offsets` int64 [n + 1]."""

    def __init__(self, file, group, columns, chunk, storage=None):
        storage = storage or {}
        self.columns = {name: (file.create_dataset(f"{group}/{name}", shape=(0,), maxshape=(None,), dtype=dtype,
                                                   chunks=(chunk,), track_times=False,
                                                   **storage.get(name, SMOOTH)), [])
                        for name, dtype in columns}
        self.offsets = file.create_dataset(f"{group}/offsets", shape=(0,), maxshape=(None,), dtype=np.int64,
                                           chunks=(max(1024, chunk // 16),), shuffle=True, compression="gzip",
                                           compression_opts=4, track_times=False)
        self.offset_buffer = [0]
        self.total = 0

    def append(self, **values):
        n = None
        for name, (_, buffer) in self.columns.items():
            array = np.asarray(values[name])
            buffer.append(array)
            n = len(array)
        self.total += n
        self.offset_buffer.append(self.total)

    def flush(self):
        for dataset, buffer in self.columns.values():
            if buffer:
                _extend(dataset, np.concatenate(buffer).astype(dataset.dtype))
                buffer.clear()
        if self.offset_buffer:
            _extend(self.offsets, np.asarray(self.offset_buffer, dtype=np.int64))
            self.offset_buffer = []


def _extend(dataset, values):
    start = dataset.shape[0]
    dataset.resize((start + len(values),))
    dataset[start:] = values


class _Writer:
    """Common part of both writers: temporary file, per-event columns, root attributes."""

    def __init__(self, path, fmt, header):
        self.path = path
        self.temporary = os.path.join(os.path.dirname(os.path.abspath(path)),
                                      f".{os.path.basename(path)}.tmp-{os.getpid()}")
        self.file = h5py.File(self.temporary, "w", track_order=False)
        self.header = dict(header, format=fmt)
        self.count = 0
        self.per_event = {}

    def _per_event(self, name, dtype):
        self.per_event[name] = (self.file.create_dataset(name, shape=(0,), maxshape=(None,), dtype=dtype,
                                                         chunks=(4096,), shuffle=True, compression="gzip",
                                                         compression_opts=4, track_times=False), [])

    def _append_per_event(self, **values):
        for name, value in values.items():
            self.per_event[name][1].append(value)
        self.count += 1
        if self.count % FLUSH_EVENTS == 0:
            self._flush()

    def _groups(self):
        return []

    def _flush(self):
        for group in self._groups():
            group.flush()
        for dataset, buffer in self.per_event.values():
            if buffer:
                _extend(dataset, np.asarray(buffer, dtype=dataset.dtype))
                buffer.clear()

    def finish(self, **updates):
        """Writes the rest and the root attributes (updated by `updates`), renames into place."""
        self._flush()
        self.header.update(updates)
        h = self.header
        attrs = self.file.attrs
        attrs["format"] = np.bytes_(h["format"])
        attrs["format_version"] = np.int64(1)
        attrs["generator"] = np.bytes_(h["generator"])
        attrs["seed"] = np.int64(h["seed"])
        attrs["channel"] = np.bytes_(h["channel"])
        attrs["n_generated"] = np.int64(h["n_generated"])
        attrs["cross_section_fb"] = np.float64(h["cross_section_fb"])
        attrs["first_event"] = np.int64(h.get("first_event", 0))
        self.file.close()
        os.replace(self.temporary, self.path)

    def abandon(self):
        self.file.close()
        if os.path.exists(self.temporary):
            os.remove(self.temporary)


class ParticleFileWriter(_Writer):
    """`vbfgrid.particles` v1: particles/{pt,eta,phi} float32, particles/pid int32,
    particles/offsets, channel uint8, weight float32."""

    def __init__(self, path, header):
        super().__init__(path, "vbfgrid.particles", header)
        self.particles = _Jagged(self.file, "particles",
                                 [("pt", np.float32), ("eta", np.float32), ("phi", np.float32), ("pid", np.int32)],
                                 65536)
        self._per_event("channel", np.uint8)
        self._per_event("weight", np.float32)

    def _groups(self):
        return [self.particles]

    def append(self, pt, eta, phi, pid, channel, weight=1.0):
        self.particles.append(pt=pt, eta=eta, phi=phi, pid=pid)
        self._append_per_event(channel=channel, weight=weight)


class EventFileWriter(_Writer):
    """`vbfgrid.events` v1: towers, jets, leptons (jagged), met/value, met/phi, channel, weight."""

    def __init__(self, path, header):
        super().__init__(path, "vbfgrid.events", header)
        f = np.float32
        self.towers = _Jagged(self.file, "towers", [("et", f), ("eta", f), ("phi", f)], 65536,
                              {"et": UNCOMPRESSED, "eta": GRID_VALUES, "phi": GRID_VALUES})
        self.jets = _Jagged(self.file, "jets", [("pt", f), ("eta", f), ("phi", f), ("mass", f)], 16384)
        self.leptons = _Jagged(self.file, "leptons", [("pt", f), ("eta", f), ("phi", f), ("pid", np.int32)], 4096)
        for name, dtype in [("met/value", f), ("met/phi", f), ("channel", np.uint8), ("weight", f)]:
            self._per_event(name, dtype)

    def _groups(self):
        return [self.towers, self.jets, self.leptons]

    def append(self, towers, jets, leptons, met, met_phi, channel, weight=1.0):
        """`towers` = (et, eta, phi), `jets` = (pt, eta, phi, mass), `leptons` = (pt, eta, phi, pid)."""
        self.towers.append(et=towers[0], eta=towers[1], phi=towers[2])
        self.jets.append(pt=jets[0], eta=jets[1], phi=jets[2], mass=jets[3])
        self.leptons.append(pt=leptons[0], eta=leptons[1], phi=leptons[2], pid=leptons[3])
        self._append_per_event(**{"met/value": met, "met/phi": met_phi, "channel": channel, "weight": weight})
