"""The vbfgrid networks as Keras 3 models (the architectures of Sources/NeuralNet/Network.swift).

    build("PJ-LR-CNN")   # an uncompiled keras.Sequential with Keras's default initialisers

Names (case-insensitive): K-ANN, R-ANN, H-ANN (8, 16, 24 features), PJ-LR-CNN and Pmet-LR-CNN
(59 x 45 x 1 images), PJ-HR-CNN and Pmet-HR-CNN (125 x 95 x 1), and the two small test networks
cnn_tiny (10 x 8 x 1) and ann_tiny (6 features). The PJ and Pmet variants differ only in the
image preprocessing, so they share one architecture.

Keras numbers its layers per session (conv2d, conv2d_1, ...); every build clears the session
first, so the names are those of a fresh process, which is what the weight files record.
"""

import keras
from keras import layers

# Parameter counts (paper section 5); build() checks them.
EXPECTED_PARAMS = {
    "K-ANN": 210, "R-ANN": 991, "H-ANN": 2790,
    "PJ-LR-CNN": 1182590, "PJ-HR-CNN": 3678590,
    "cnn_tiny": 422, "ann_tiny": 125,
}

# Dense networks: (inputs, hidden widths, hidden activation); the output is Dense(2, softmax).
DENSE = {
    "K-ANN": (8, [8, 8, 4, 4], "relu"),
    "R-ANN": (16, [16, 16, 11, 11, 6, 6], "sigmoid"),
    "H-ANN": (24, [24, 24, 19, 19, 14, 14, 9, 9], "sigmoid"),
    "ann_tiny": (6, [6, 6, 3, 3], "sigmoid"),
}

# Image networks: (height = eta bins, width = phi bins).
IMAGES = {"PJ-LR-CNN": (59, 45), "PJ-HR-CNN": (125, 95)}

SAME_ARCHITECTURE = {"PMET-LR-CNN": "PJ-LR-CNN", "PMET-HR-CNN": "PJ-HR-CNN"}

ALL_NAMES = ["K-ANN", "R-ANN", "H-ANN", "PJ-LR-CNN", "PJ-HR-CNN", "Pmet-LR-CNN", "Pmet-HR-CNN",
             "cnn_tiny", "ann_tiny"]


def canonical_name(name):
    """The architecture `name` stands for (Pmet variants map to PJ); ValueError if unknown."""
    upper = name.strip().upper().replace("_", "-")
    for known in EXPECTED_PARAMS:
        if upper == known.upper().replace("_", "-"):
            return known
    if upper in SAME_ARCHITECTURE:
        return SAME_ARCHITECTURE[upper]
    raise ValueError(f"unknown network {name!r}; known: {', '.join(ALL_NAMES)}")


def conv(filters):
    """4 x 4 convolution, stride 1, 'same' padding (TensorFlow pads 1 before, 2 after), ReLU."""
    return layers.Conv2D(filters, (4, 4), strides=(1, 1), padding="same", activation="relu")


def pool():
    """2 x 2 average pooling, stride 2, 'valid' (an odd last row or column is dropped)."""
    return layers.AveragePooling2D(pool_size=(2, 2), strides=(2, 2), padding="valid")


def dense_network(inputs, hidden, activation):
    stack = [keras.Input(shape=(inputs,))]
    stack += [layers.Dense(width, activation=activation) for width in hidden]
    return keras.Sequential(stack + [layers.Dense(2, activation="softmax")])


def image_network(height, width):
    """Three blocks of two 64-filter convolutions and a pooling, then Dense 300 x 3 and softmax."""
    stack = [keras.Input(shape=(height, width, 1))]
    for _ in range(3):
        stack += [conv(64), conv(64), pool()]
    stack += [layers.Flatten()] + [layers.Dense(300, activation="relu") for _ in range(3)]
    return keras.Sequential(stack + [layers.Dense(2, activation="softmax")])


def tiny_image_network():
    """conv, conv, pool, conv, pool (5 x 4 -> 2 x 2), flatten, Dense(5, relu), softmax."""
    return keras.Sequential([keras.Input(shape=(10, 8, 1)), conv(3), conv(3), pool(), conv(3), pool(),
                             layers.Flatten(), layers.Dense(5, activation="relu"),
                             layers.Dense(2, activation="softmax")])


def build(name):
    """A fresh uncompiled model of the architecture `name`, with its parameter count checked."""
    canonical = canonical_name(name)
    keras.backend.clear_session()
    if canonical in DENSE:
        model = dense_network(*DENSE[canonical])
    elif canonical in IMAGES:
        model = image_network(*IMAGES[canonical])
    else:
        model = tiny_image_network()
    count = model.count_params()
    if count != EXPECTED_PARAMS[canonical]:
        raise AssertionError(f"{canonical}: {count} parameters, expected {EXPECTED_PARAMS[canonical]}")
    return model
