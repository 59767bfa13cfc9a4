#!/usr/bin/env python3
"""A Keras 2.x full-model HDF5 file of keras.applications' VGG16 / VGG19 architecture, written with h5py alone.

usage: make_keras_vgg.py vgg16|vgg19 HxW CLASSES SEED OUT_DIR
Writes, for keras.applications.VGG16/VGG19(include_top, input_shape=(H, W, 3), classes=CLASSES) with random weights:
  OUT_DIR/model.h5     what tf.keras 2.9 `model.save("model.h5")` writes (architecture and weights);
  OUT_DIR/model.json   `model.to_json()`;
  OUT_DIR/weights.h5   `model.save_weights("weights.h5")` (weights only), with its string attributes written as
                       fixed-length byte strings, as h5py 2.x / older Keras wrote them (model.h5 has h5py 3's
                       variable-length strings), so both encodings are read;
  OUT_DIR/x.npy        2 random NHWC images, float32;
  OUT_DIR/y.npy        the softmax output of a plain numpy float64 forward pass of those images, float32.

No Keras or TensorFlow is needed. The layout is the one of tf.keras 2.9 (keras/saving/hdf5_format.py):
  root attrs   keras_version, backend (str), model_config (JSON bytes: class_name "Functional", config)
  model_weights attrs  layer_names (bytes array), backend, keras_version (bytes)
  model_weights/<layer> attrs weight_names (bytes array, e.g. b"block1_conv1/kernel:0"; empty for layers without
                 weights), datasets <layer>/kernel:0 and <layer>/bias:0, which h5py stores under the sub-group
                 <layer> (model_weights/block1_conv1/block1_conv1/kernel:0), as in real files.
Conv2D kernels are HWIO, Dense kernels (in, out); Flatten is channels-last (h, w, c).
Weights are He-scaled normals and biases small normals, so activations stay O(1) and the softmax is not saturated.
"""
import json
import sys

import h5py
import numpy as np

BLOCKS = {"vgg16": [2, 2, 3, 3, 3], "vgg19": [2, 2, 4, 4, 4]}
WIDTHS = [64, 128, 256, 512, 512]
INIT = {"class_name": "GlorotUniform", "config": {"seed": None}}
ZEROS = {"class_name": "Zeros", "config": {}}


def conv_config(name, filters):
    return {"name": name, "trainable": True, "dtype": "float32", "filters": filters, "kernel_size": [3, 3],
            "strides": [1, 1], "padding": "same", "data_format": "channels_last", "dilation_rate": [1, 1],
            "groups": 1, "activation": "relu", "use_bias": True, "kernel_initializer": INIT,
            "bias_initializer": ZEROS, "kernel_regularizer": None, "bias_regularizer": None,
            "activity_regularizer": None, "kernel_constraint": None, "bias_constraint": None}


def dense_config(name, units, activation):
    return {"name": name, "trainable": True, "dtype": "float32", "units": units, "activation": activation,
            "use_bias": True, "kernel_initializer": INIT, "bias_initializer": ZEROS, "kernel_regularizer": None,
            "bias_regularizer": None, "activity_regularizer": None, "kernel_constraint": None,
            "bias_constraint": None}


def architecture(model, h, w, classes):
    """[(class_name, config)] in order, as keras.applications.vgg16/vgg19 build them."""
    layers = [("InputLayer", {"batch_input_shape": [None, h, w, 3], "dtype": "float32", "sparse": False,
                              "ragged": False, "name": "input_1"})]
    for b, (n, width) in enumerate(zip(BLOCKS[model], WIDTHS), start=1):
        for i in range(1, n + 1):
            layers.append(("Conv2D", conv_config("block%d_conv%d" % (b, i), width)))
        layers.append(("MaxPooling2D", {"name": "block%d_pool" % b, "trainable": True, "dtype": "float32",
                                        "pool_size": [2, 2], "padding": "valid", "strides": [2, 2],
                                        "data_format": "channels_last"}))
    layers.append(("Flatten", {"name": "flatten", "trainable": True, "dtype": "float32",
                               "data_format": "channels_last"}))
    layers.append(("Dense", dense_config("fc1", 4096, "relu")))
    layers.append(("Dense", dense_config("fc2", 4096, "relu")))
    layers.append(("Dense", dense_config("predictions", classes, "softmax")))
    return layers


def model_config(model, layers):
    entries = []
    previous = None
    for class_name, config in layers:
        inbound = [] if previous is None else [[[previous, 0, 0, {}]]]
        entries.append({"class_name": class_name, "config": config, "name": config["name"],
                        "inbound_nodes": inbound})
        previous = config["name"]
    return {"class_name": "Functional",
            "config": {"name": model, "layers": entries, "input_layers": [["input_1", 0, 0]],
                       "output_layers": [[previous, 0, 0]]}}


def random_weights(layers, h, w, rng):
    """{layer name: (kernel, bias)} float32, shapes as Keras holds them."""
    weights = {}
    channels, height, width = 3, h, w
    features = None
    for class_name, config in layers:
        if class_name == "Conv2D":
            fan_in = 9 * channels
            kernel = rng.standard_normal((3, 3, channels, config["filters"])) * np.sqrt(2.0 / fan_in)
            channels = config["filters"]
            weights[config["name"]] = (kernel, rng.standard_normal(channels) * 0.1)
        elif class_name == "MaxPooling2D":
            height, width = height // 2, width // 2
        elif class_name == "Flatten":
            features = height * width * channels
        elif class_name == "Dense":
            units = config["units"]
            gain = 2.0 if config["activation"] == "relu" else 1.0
            kernel = rng.standard_normal((features, units)) * np.sqrt(gain / features)
            weights[config["name"]] = (kernel, rng.standard_normal(units) * 0.1)
            features = units
    return {k: (a.astype(np.float32), b.astype(np.float32)) for k, (a, b) in weights.items()}


def forward(layers, weights, x):
    """NHWC float64 forward pass."""
    a = x.astype(np.float64)
    for class_name, config in layers:
        name = config["name"]
        if class_name == "Conv2D":
            kernel, bias = (v.astype(np.float64) for v in weights[name])
            n, h, w, c = a.shape
            p = np.pad(a, ((0, 0), (1, 1), (1, 1), (0, 0)))
            # im2col: columns ordered (kh, kw, c) like the HWIO kernel's first three axes.
            cols = np.stack([p[:, i:i + h, j:j + w, :] for i in range(3) for j in range(3)], axis=3)
            a = cols.reshape(n * h * w, 9 * c) @ kernel.reshape(9 * c, -1) + bias
            a = np.maximum(a.reshape(n, h, w, -1), 0.0)
        elif class_name == "MaxPooling2D":
            n, h, w, c = a.shape
            a = a[:, :h // 2 * 2, :w // 2 * 2, :].reshape(n, h // 2, 2, w // 2, 2, c).max(axis=(2, 4))
        elif class_name == "Flatten":
            a = a.reshape(a.shape[0], -1)  # channels-last: (h, w, c)
        elif class_name == "Dense":
            kernel, bias = (v.astype(np.float64) for v in weights[name])
            a = a @ kernel + bias
            if config["activation"] == "relu":
                a = np.maximum(a, 0.0)
            else:
                a = np.exp(a - a.max(axis=1, keepdims=True))
                a = a / a.sum(axis=1, keepdims=True)
    return a


def save_weights_group(g, layers, weights, fixed):
    """tf.keras 2.9 save_weights_to_hdf5_group."""
    text = np.bytes_ if fixed else (lambda s: s)
    g.attrs["layer_names"] = np.asarray([c["name"].encode("utf8") for _, c in layers])
    g.attrs["backend"] = text(b"tensorflow")
    g.attrs["keras_version"] = text(b"2.9.0")
    # Sorted by layer name, as Keras does.
    for name in sorted(c["name"] for _, c in layers):
        lg = g.create_group(name)
        if name in weights:
            names = [(name + "/kernel:0").encode("utf8"), (name + "/bias:0").encode("utf8")]
            lg.attrs["weight_names"] = np.asarray(names)
            for n, value in zip(names, weights[name]):
                lg.create_dataset(n, value.shape, dtype=value.dtype)[:] = value
        else:
            lg.attrs["weight_names"] = []


def save_model(path, model, layers, weights):
    """tf.keras 2.9 save_model_to_hdf5 (no optimizer, not compiled)."""
    with h5py.File(path, "w") as f:
        # model_metadata items: dicts as JSON bytes, the rest as they are (str).
        f.attrs["keras_version"] = "2.9.0"
        f.attrs["backend"] = "tensorflow"
        f.attrs["model_config"] = json.dumps(model_config(model, layers)).encode("utf8")
        save_weights_group(f.create_group("model_weights"), layers, weights, fixed=False)


def save_weights(path, layers, weights):
    with h5py.File(path, "w") as f:
        save_weights_group(f, layers, weights, fixed=True)


def main(argv):
    if len(argv) != 6 or argv[1] not in BLOCKS:
        sys.exit(__doc__)
    model = argv[1]
    h, w = (int(v) for v in argv[2].lower().split("x"))
    classes, seed, out = int(argv[3]), int(argv[4]), argv[5]
    rng = np.random.default_rng(seed)
    layers = architecture(model, h, w, classes)
    weights = random_weights(layers, h, w, rng)
    x = rng.standard_normal((2, h, w, 3)).astype(np.float32)
    y = forward(layers, weights, x)
    save_model(out + "/model.h5", model, layers, weights)
    save_weights(out + "/weights.h5", layers, weights)
    with open(out + "/model.json", "w") as f:
        json.dump(dict(model_config(model, layers), keras_version="2.9.0", backend="tensorflow"), f)
    np.save(out + "/x.npy", x)
    np.save(out + "/y.npy", y.astype(np.float32))


if __name__ == "__main__":
    main(sys.argv)
