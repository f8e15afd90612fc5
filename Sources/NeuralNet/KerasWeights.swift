import HDF5

/// Model weights in the Keras 2 HDF5 layout, readable by h5py and by Keras `model.load_weights`.
///
/// ```
/// /                      @backend "tensorflow"  @keras_version "2.2.4"  @network   (file written by `write(_:to:)`)
/// /model_weights         @layer_names [every layer, pooling and flatten too]  @backend  @keras_version
/// /model_weights/<layer> @weight_names ["<layer>/kernel:0", "<layer>/bias:0"] (empty if none)
///     <layer>/kernel:0   float32, Keras orientation: Conv2D (k, k, in, out), Dense (in, out)
///     <layer>/bias:0     float32 (out)
/// ```
/// String attributes are fixed-length byte strings, as Keras 2 wrote them; datasets are
/// contiguous and uncompressed. `keras_version` "2.2.4" matters: Keras converts Conv2D kernels
/// of files without a version as Keras 1 files.
public enum KerasWeights {
    /// Writes the `model_weights` content (attributes, one group per layer) into `group`.
    public static func write(_ model: Model, into group: HDF5Group) throws {
        try group.setAttribute("layer_names", model.layers.map(\.name))
        try group.setAttribute("backend", "tensorflow")
        try group.setAttribute("keras_version", "2.2.4")
        for (i, layer) in model.layers.enumerated() {
            let layerGroup = try group.createGroup(layer.name)
            let names = zip(layer.weightShapes, ["kernel", "bias"]).map { "\(layer.name)/\($1):0" }
            try layerGroup.setAttribute("weight_names", names)
            for ((shape, name), values) in zip(zip(layer.weightShapes, names), model.weights(ofLayer: i)) {
                try layerGroup.write(name, values, shape: shape)
            }
        }
    }

    /// Writes a weights file (root attributes and `model_weights`) atomically.
    public static func write(_ model: Model, to path: String) throws {
        try HDF5File.writeAtomically(to: path) { file in
            try file.setAttribute("backend", "tensorflow")
            try file.setAttribute("keras_version", "2.2.4")
            try file.setAttribute("network", model.name)
            try write(model, into: try file.createGroup("model_weights"))
        }
    }

    /// Loads the weights of a Keras HDF5 file (full model or weights only; Keras 2 or Keras 3
    /// naming, fixed- or variable-length strings) into `model`. Like Keras `load_weights`,
    /// layers with weights are matched by order, not by name; the counts and every shape must
    /// agree, otherwise the error names the file, the object and both shapes.
    public static func load(into model: Model, from path: String) throws {
        let file = try HDF5File(opening: path)
        let root: HDF5Group = file.hasAttribute("layer_names") ? file : try file.group("model_weights")
        var stored: [(group: HDF5Group, names: [String])] = []
        for name in try root.stringArrayAttribute("layer_names") {
            let group = try root.group(name)
            let names = group.hasAttribute("weight_names") ? try group.stringArrayAttribute("weight_names") : []
            if !names.isEmpty { stored.append((group, names)) }
        }
        let targets = model.layers.indices.filter { !model.layers[$0].weightShapes.isEmpty }
        guard stored.count == targets.count else {
            throw HDF5Error(
                file: path, object: root.path,
                message: "layer_names has \(stored.count) layers with weights, "
                    + "but \(model.name) has \(targets.count)")
        }
        for ((group, names), i) in zip(stored, targets) {
            let shapes = model.layers[i].weightShapes
            guard names.count == shapes.count else {
                throw HDF5Error(
                    file: path, object: group.path,
                    message: "weight_names lists \(names.count) weights, "
                        + "layer \(model.layers[i].name) of \(model.name) has \(shapes.count)")
            }
            var values: [[Float]] = []
            for (name, shape) in zip(names, shapes) {
                let dataset = try group.dataset(name)
                guard dataset.shape == shape else {
                    throw HDF5Error(
                        file: path, object: dataset.path,
                        message: "shape \(dataset.shape), expected \(shape) "
                            + "for layer \(model.layers[i].name) of \(model.name)")
                }
                values.append(try dataset.read(as: Float.self))
            }
            model.setWeights(ofLayer: i, values)
        }
    }
}
