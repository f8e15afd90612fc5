#!/usr/bin/env python3
"""Load an HDF5 weight file into the matching Keras 3 model, run inputs through
it and compare with outputs computed elsewhere (e.g. by the Swift engine).
`make test-keras` runs it on the weight files vbfgrid writes for every network.
The architectures come from keras_models.py beside this file.

Usage:
    python keras_roundtrip.py --weights FILE.h5 --input IN --expected OUT
                              [--model NAME|auto] [--input-key KEY] [--expected-key KEY]
                              [--column K] [--channels-first] [--tol 1e-5]
                              [--by-name] [--strict-names] [--save-output FILE]
                              [--batch-size 256] [--threads 0]

--model     K-ANN, R-ANN, H-ANN, PJ-LR-CNN, PJ-HR-CNN, Pmet-LR-CNN, Pmet-HR-CNN,
            cnn_tiny, ann_tiny, or auto (default): the model whose weight shapes,
            in order, match the file.
--weights   a Keras legacy HDF5 file: a full model file (model.save('x.h5'), weights
            under /model_weights) or a weights-only file (save_weights layout,
            layer_names at the root).  Loaded with model.load_weights(path), which
            matches layers by ORDER (layer_names attribute, layers without weights
            skipped), not by name; --by-name loads by layer name instead.
--input     .npy, or .json holding a bare (nested) list, a {"shape", "data"} object,
            or a Keras reference JSON of Tests/Fixtures/nn (default key "input").
            CNN inputs may be (N, H, W) or (N, H, W, 1); with --channels-first an
            (N, 1, H, W) array is transposed to channels-last.
--expected  same formats; default key for a reference JSON is
            "forward.probabilities".  Shape (N, 2); with --column K only output
            column K is compared (the expected array may then be (N,) or (N, 2)).
--input-key, --expected-key   dotted path into a JSON file, e.g.
            nadam.probabilities_after_last_step
--tol       maximum allowed absolute difference (default 1e-5).
--strict-names  fail if the file's layer names differ from the Keras names.
--save-output   write the Keras outputs (.npy or .json).

Prints the file layout it found, the max abs and max relative difference and
the argmax agreement.  Exit status: 0 if max abs diff <= tol, 1 if not,
2 on a usage or loading error.
"""

import argparse
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import numpy as np  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True

AUTO_ORDER = ["ann_tiny", "cnn_tiny", "K-ANN", "R-ANN", "H-ANN", "PJ-LR-CNN", "PJ-HR-CNN"]


class UsageError(Exception):
    pass


def get_key(obj, key):
    for part in key.split("."):
        if isinstance(obj, dict) and part in obj:
            obj = obj[part]
        elif isinstance(obj, list) and part.isdigit():
            obj = obj[int(part)]
        else:
            raise UsageError(f"key {key!r}: no field {part!r}")
    return obj


def load_array(path, key, default_key):
    if not os.path.exists(path):
        raise UsageError(f"{path}: file not found")
    if path.endswith(".npy"):
        if key:
            raise UsageError(f"{path}: a key ({key}) only applies to JSON files")
        return np.load(path).astype(np.float32), path
    if path.endswith(".json"):
        with open(path) as fh:
            obj = json.load(fh)
        where = path
        if key:
            obj = get_key(obj, key)
            where = f"{path}[{key}]"
        elif isinstance(obj, dict) and "shape" not in obj:
            obj = get_key(obj, default_key)
            where = f"{path}[{default_key}]"
        if isinstance(obj, dict):
            if "shape" not in obj or "data" not in obj:
                raise UsageError(f"{where}: expected a list or a {{shape, data}} object")
            arr = np.asarray(obj["data"], dtype=np.float32)
            if arr.size != int(np.prod(obj["shape"])):
                raise UsageError(f"{where}: data has {arr.size} values, shape {obj['shape']} "
                                 f"needs {int(np.prod(obj['shape']))}")
            return arr.reshape(obj["shape"]), where
        return np.asarray(obj, dtype=np.float32), where
    raise UsageError(f"{path}: expected a .npy or .json file")


def read_attr_list(group, name):
    if name in group.attrs:
        vals = list(group.attrs[name])
    else:
        vals, i = [], 0
        while f"{name}{i}" in group.attrs:
            vals.extend(list(group.attrs[f"{name}{i}"]))
            i += 1
    return [v.decode("utf8") if isinstance(v, bytes) else str(v) for v in vals]


def file_layout(path):
    """[(layer name, [(weight name, shape), ...]), ...] in layer_names order."""
    import h5py
    try:
        f = h5py.File(path, "r")
    except OSError as e:
        raise UsageError(f"{path}: not a readable HDF5 file ({e})")
    with f:
        g = f
        if "layer_names" not in f.attrs and "model_weights" in f:
            g = f["model_weights"]
        if not read_attr_list(g, "layer_names"):
            raise UsageError(f"{path}: no 'layer_names' attribute at the root or in /model_weights")
        top = {k: (v.decode() if isinstance(v, bytes) else v) for k, v in g.attrs.items()
               if k in ("keras_version", "backend")}
        layers = []
        for lname in read_attr_list(g, "layer_names"):
            if lname not in g:
                raise UsageError(f"{path}: layer group {lname!r} listed in layer_names is missing")
            wn = read_attr_list(g[lname], "weight_names")
            ws = []
            for w in wn:
                if w not in g[lname]:
                    raise UsageError(f"{path}: dataset {lname}/{w} listed in weight_names is missing")
                ws.append((w, tuple(g[lname][w].shape)))
            layers.append((lname, ws))
    return top, layers


def model_shapes(model):
    return [[tuple(w.shape) for w in (l.trainable_weights + l.non_trainable_weights)]
            for l in model.layers if l.weights]


def main(argv=None):
    ap = argparse.ArgumentParser(
        description="Compare Keras outputs for an HDF5 weight file with given outputs.",
        formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("--model", default="auto")
    ap.add_argument("--weights", required=True)
    ap.add_argument("--input", required=True)
    ap.add_argument("--expected", required=True)
    ap.add_argument("--input-key", default=None)
    ap.add_argument("--expected-key", default=None)
    ap.add_argument("--column", type=int, default=None)
    ap.add_argument("--channels-first", action="store_true")
    ap.add_argument("--tol", type=float, default=1e-5)
    ap.add_argument("--by-name", action="store_true")
    ap.add_argument("--strict-names", action="store_true")
    ap.add_argument("--save-output", default=None)
    ap.add_argument("--batch-size", type=int, default=256)
    ap.add_argument("--threads", type=int, default=0, help="TF intra-op threads (0: TF default)")
    args = ap.parse_args(argv)

    try:
        top, layout = file_layout(args.weights)
        file_shapes = [[s for _, s in ws] for _, ws in layout if ws]

        import tensorflow as tf
        if args.threads:
            tf.config.threading.set_intra_op_parallelism_threads(args.threads)
            tf.config.threading.set_inter_op_parallelism_threads(1)
        import keras
        import keras_models as pm

        if args.model.lower() == "auto":
            is_cnn = bool(file_shapes) and len(file_shapes[0][0]) == 4
            chosen = None
            for cand in AUTO_ORDER:
                if ("cnn" in cand.lower()) != is_cnn:
                    continue
                model = pm.build(cand)
                if model_shapes(model) == file_shapes:
                    chosen = cand
                    break
            if chosen is None:
                raise UsageError(f"{args.weights}: weight shapes {file_shapes} match none of "
                                 f"{', '.join(AUTO_ORDER)}")
            model_name = f"{chosen} (auto-detected)"
        else:
            model = pm.build(args.model)
            model_name = pm.canonical_name(args.model)
            if args.model != model_name:
                model_name = f"{args.model} (architecture {model_name})"

        print(f"model: {model_name}; keras {keras.__version__}, tensorflow {tf.__version__}")
        print(f"weights: {args.weights}  (file keras_version={top.get('keras_version')}, "
              f"backend={top.get('backend')})")
        keras_names = [l.name for l in model.layers if l.weights]
        file_names = [n for n, ws in layout if ws]
        for i, (n, ws) in enumerate([(n, ws) for n, ws in layout if ws]):
            kn = keras_names[i] if i < len(keras_names) else "-"
            flag = "" if kn == n else "   (Keras name: %s)" % kn
            print(f"  layer {i}: {n}: " + ", ".join(f"{w} {list(s)}" for w, s in ws) + flag)
        if file_names != keras_names:
            msg = (f"layer names in the file {file_names} differ from the Keras names "
                   f"{keras_names} (harmless for order-based loading)")
            if args.strict_names:
                raise UsageError(msg)
            print("note: " + msg)

        if args.by_name:
            model.load_weights(args.weights, by_name=True)
        else:
            model.load_weights(args.weights)

        x, x_where = load_array(args.input, args.input_key, "input")
        want = tuple(model.input_shape[1:])
        if args.channels_first and x.ndim == 4:
            x = np.transpose(x, (0, 2, 3, 1))
        if len(want) == 3 and x.ndim == 3 and x.shape[1:] == want[:2]:
            x = x[..., None]
        if len(want) == 3 and x.ndim == 2 and x.shape[1] == int(np.prod(want)):
            x = x.reshape((-1,) + want)
        if tuple(x.shape[1:]) != want:
            raise UsageError(f"{x_where}: input shape {list(x.shape)} does not fit the model "
                             f"input (N, {', '.join(map(str, want))})")
        y_exp, y_where = load_array(args.expected, args.expected_key, "forward.probabilities")

        outs = []
        for i in range(0, x.shape[0], args.batch_size):
            outs.append(np.asarray(model(x[i:i + args.batch_size], training=False)))
        y = np.concatenate(outs, axis=0)
        got = y if args.column is None else y[:, args.column]
        if args.column is not None and y_exp.ndim == 2:
            y_exp = y_exp[:, args.column]
        if y_exp.shape != got.shape:
            raise UsageError(f"{y_where}: expected-output shape {list(y_exp.shape)} differs from "
                             f"the Keras output shape {list(got.shape)}"
                             + ("" if args.column is not None or y_exp.ndim != 1
                                else " (use --column K for a single column)"))
        if args.save_output:
            if args.save_output.endswith(".json"):
                with open(args.save_output, "w") as fh:
                    json.dump({"shape": list(y.shape), "data": [float(v) for v in y.reshape(-1)]}, fh)
            else:
                np.save(args.save_output, y)

        d = np.abs(got.astype(np.float64) - y_exp.astype(np.float64))
        rel = d / np.maximum(np.abs(y_exp.astype(np.float64)), 1e-30)
        print(f"input: {list(x.shape)} from {x_where}")
        print(f"expected: {list(y_exp.shape)} from {y_where}"
              + (f" (column {args.column})" if args.column is not None else ""))
        line = f"max abs diff: {d.max():.3e}   max rel diff: {rel.max():.3e}"
        if y.ndim == 2 and y_exp.ndim == 2:
            agree = int(np.sum(np.argmax(y, 1) == np.argmax(y_exp, 1)))
            line += f"   argmax agreement: {agree}/{y.shape[0]}"
        print(line)
        ok = bool(d.max() <= args.tol)
        print(f"RESULT: {'OK' if ok else 'FAIL'} (tol {args.tol:g})")
        return 0 if ok else 1
    except UsageError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except ValueError as e:   # Keras load_weights mismatches
        print(f"error: loading {args.weights}: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
