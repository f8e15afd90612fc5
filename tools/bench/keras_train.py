#!/usr/bin/env python3
"""The Keras 3 + TensorFlow anchor of `vbfgrid bench train --compare-keras`.

Builds one of the paper's networks in Keras (the same layers, names, 'same' padding and
initialisers as vbfgrid's engine), and times on random inputs, like the engine's benchmark:
training steps (train_on_batch, Nadam with learning rate 0.001, categorical cross-entropy)
and inference (predict_on_batch), each after one warm-up batch, with TensorFlow on the given
number of threads (oneDNN is TensorFlow's default CPU path on x86; TF_ENABLE_ONEDNN_OPTS=0
turns it off). The process inherits the caller's CPU affinity, so `taskset -c N vbfgrid bench
train --compare-keras` pins both to the same core.

Prints one JSON object: network, batch_size, batches, threads, train_samples_per_s,
train_cpu_share (process CPU time / wall time), infer_samples_per_s, infer_cpu_share, tensorflow, keras,
onednn (whether TensorFlow's oneDNN path was on).

Usage: keras_train.py --network PJ-LR-CNN [--batch-size 300] [--batches 5] [--threads 1]
"""

import argparse
import json
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

CNN_INPUTS = {"PJ-LR-CNN": (59, 45), "Pmet-LR-CNN": (59, 45), "PJ-HR-CNN": (125, 95), "Pmet-HR-CNN": (125, 95)}
ANN_LAYERS = {
    "K-ANN": (8, [8, 8, 4, 4], "relu"),
    "R-ANN": (16, [16, 16, 11, 11, 6, 6], "sigmoid"),
    "H-ANN": (24, [24, 24, 19, 19, 14, 14, 9, 9], "sigmoid"),
}


def build(keras, network):
    """The network as vbfgrid's engine defines it (docs/neural-network.md)."""
    layers = keras.layers
    if network in CNN_INPUTS:
        h, w = CNN_INPUTS[network]
        stack = [keras.Input((h, w, 1))]
        for _ in range(3):
            stack += [layers.Conv2D(64, 4, padding="same", activation="relu"),
                      layers.Conv2D(64, 4, padding="same", activation="relu"),
                      layers.AveragePooling2D(2)]
        stack += [layers.Flatten()] + [layers.Dense(300, activation="relu") for _ in range(3)]
        stack += [layers.Dense(2, activation="softmax")]
        return keras.Sequential(stack), (h, w, 1)
    if network in ANN_LAYERS:
        inputs, widths, activation = ANN_LAYERS[network]
        stack = [keras.Input((inputs,))] + [layers.Dense(n, activation=activation) for n in widths]
        return keras.Sequential(stack + [layers.Dense(2, activation="softmax")]), (inputs,)
    sys.exit(f"keras_train.py: unknown network {network!r}; expected one of "
             + ", ".join(list(CNN_INPUTS) + list(ANN_LAYERS)))


def timed(function, batches):
    """Wall and process CPU seconds of `batches` calls after one warm-up call."""
    function()
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(batches):
        function()
    return time.perf_counter() - wall, time.process_time() - cpu


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--network", required=True)
    parser.add_argument("--batch-size", type=int, default=300)
    parser.add_argument("--batches", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    if args.batch_size <= 0 or args.batches <= 0 or args.threads <= 0:
        sys.exit("keras_train.py: --batch-size, --batches and --threads must be positive")

    import numpy as np
    import tensorflow as tf
    tf.config.threading.set_intra_op_parallelism_threads(args.threads)
    tf.config.threading.set_inter_op_parallelism_threads(args.threads)
    import keras

    keras.utils.set_random_seed(1)
    model, shape = build(keras, args.network)
    model.compile(optimizer=keras.optimizers.Nadam(learning_rate=0.001), loss="categorical_crossentropy")
    rng = np.random.default_rng(1)
    x = rng.random((args.batch_size,) + shape, dtype=np.float32)
    y = np.eye(2, dtype=np.float32)[rng.integers(0, 2, args.batch_size)]

    train_wall, train_cpu = timed(lambda: model.train_on_batch(x, y), args.batches)
    infer_wall, infer_cpu = timed(lambda: model.predict_on_batch(x), args.batches)
    samples = args.batches * args.batch_size
    onednn = os.environ.get("TF_ENABLE_ONEDNN_OPTS", "1") not in ("0", "false", "False")
    print(json.dumps({
        "network": args.network, "batch_size": args.batch_size, "batches": args.batches, "threads": args.threads,
        "train_samples_per_s": samples / train_wall, "train_cpu_share": train_cpu / train_wall,
        "infer_samples_per_s": samples / infer_wall, "infer_cpu_share": infer_cpu / infer_wall,
        "tensorflow": tf.__version__, "keras": keras.__version__, "onednn": onednn,
    }))


if __name__ == "__main__":
    main()
