"""h5py side of the HDF5 interoperability test.

  h5py_interop.py describe FILE   print a JSON description of every dataset and attribute
  h5py_interop.py write FILE      write a file with every dtype and both string kinds
"""
import json
import sys

import h5py
import numpy as np


def attr_value(value):
    if isinstance(value, bytes):
        return value.decode()
    if isinstance(value, np.ndarray):
        return [attr_value(v) for v in value.tolist()]
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return float(value)
    return value


def describe(path):
    out = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            entry = {"attrs": {k: attr_value(v) for k, v in obj.attrs.items()}}
            if isinstance(obj, h5py.Dataset):
                data = obj[()]
                entry.update(dtype=str(obj.dtype), shape=list(obj.shape),
                             values=np.asarray(data).reshape(-1).tolist(),
                             compression=obj.compression, shuffle=bool(obj.shuffle),
                             chunks=list(obj.chunks) if obj.chunks else None)
            out[name] = entry
        out["/"] = {"attrs": {k: attr_value(v) for k, v in f.attrs.items()}}
        f.visititems(visit)
    print(json.dumps(out))


def write(path):
    with h5py.File(path, "w") as f:
        f.attrs["fixed"] = np.bytes_("fixed-length text")
        f.attrs["variable"] = "variable-length text"
        f.attrs["names"] = [b"conv2d", b"dense_1"]
        f.attrs["vnames"] = np.array(["alpha", "beta", "gamma"], dtype=h5py.string_dtype())
        f.attrs["count"] = np.int64(42)
        f.attrs["scale"] = 2.5
        g = f.create_group("group/nested")
        g.create_dataset("f32", data=np.arange(12, dtype=np.float32).reshape(3, 4) / 4)
        g.create_dataset("f64", data=np.linspace(-1, 1, 5))
        f.create_dataset("i64", data=np.array([-(2**40), 0, 2**40], dtype=np.int64))
        f.create_dataset("i32", data=np.array([-7, 0, 7], dtype=np.int32))
        f.create_dataset("u8", data=np.array([0, 6, 255], dtype=np.uint8), compression="gzip", shuffle=True)


if __name__ == "__main__":
    {"describe": describe, "write": write}[sys.argv[1]](sys.argv[2])
