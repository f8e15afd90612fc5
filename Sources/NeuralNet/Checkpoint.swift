import HDF5

/// Checkpoints in the Keras 2 HDF5 weight layout, plus the exact training state for a resume.
///
/// Layout written (readable by h5py, loadable with Keras `model.load_weights`):
/// ```
/// /                      @backend "tensorflow"  @keras_version "2.2.4"  @network
/// /model_weights         @layer_names [every layer, pooling and flatten too]  @backend  @keras_version
/// /model_weights/<layer> @weight_names ["<layer>/kernel:0", "<layer>/bias:0"] (empty if none)
///     <layer>/kernel:0   float32, Keras orientation: Conv2D (k, k, in, out), Dense (in, out)
///     <layer>/bias:0     float32 (out)
/// /training_state        @format "vbfgrid.training-state" @epoch @step @rng_state @optimizer "Nadam"
///                        @schedule @learning_rate @beta_1 @beta_2 @epsilon @iteration
///     momentums, velocities  float32 (parameters, in the model's flat order)
///     schedule_product       float32 (1)
/// ```
/// String attributes are fixed-length byte strings, as Keras 2 wrote them. Files are written
/// under a temporary name and renamed into place.
public enum Checkpoint {
    /// What a trainer needs besides the weights to continue exactly where it stopped.
    public struct TrainingState: Sendable, Equatable {
        /// Completed epochs.
        public var epoch: Int
        /// Optimizer steps taken in total.
        public var step: Int
        /// The trainer's random-generator state (e.g. `SplitMix64.state`).
        public var rngState: UInt64
        public var schedule: Nadam.Schedule
        public var learningRate: Float
        public var optimizer: Nadam.State

        public init(epoch: Int, step: Int, rngState: UInt64, schedule: Nadam.Schedule, learningRate: Float,
                    optimizer: Nadam.State) {
            self.epoch = epoch; self.step = step; self.rngState = rngState
            self.schedule = schedule; self.learningRate = learningRate; self.optimizer = optimizer
        }
    }

    /// Writes `model`'s weights (and `state`, if given) to `path`, atomically.
    public static func write(_ model: Model, to path: String, state: TrainingState? = nil) throws {
        try HDF5File.writeAtomically(to: path) { file in
            try file.setAttribute("backend", "tensorflow")
            try file.setAttribute("keras_version", "2.2.4")
            try file.setAttribute("network", model.name)
            let weights = try file.createGroup("model_weights")
            try weights.setAttribute("layer_names", model.layers.map(\.name))
            try weights.setAttribute("backend", "tensorflow")
            try weights.setAttribute("keras_version", "2.2.4")
            for (i, layer) in model.layers.enumerated() {
                let group = try weights.createGroup(layer.name)
                let names = zip(layer.weightShapes, ["kernel", "bias"]).map { "\(layer.name)/\($1):0" }
                try group.setAttribute("weight_names", names)
                for ((shape, name), values) in zip(zip(layer.weightShapes, names), model.weights(ofLayer: i)) {
                    try group.write(name, values, shape: shape)
                }
            }
            guard let state else { return }
            let group = try file.createGroup("training_state")
            try group.setAttribute("format", "vbfgrid.training-state")
            try group.setAttribute("format_version", 1)
            try group.setAttribute("epoch", state.epoch)
            try group.setAttribute("step", state.step)
            try group.setAttribute("rng_state", Int(bitPattern: UInt(state.rngState)))
            try group.setAttribute("optimizer", "Nadam")
            try group.setAttribute("schedule", state.schedule.rawValue)
            try group.setAttribute("learning_rate", [state.learningRate])
            try group.setAttribute("iteration", state.optimizer.iteration)
            try group.write("momentums", state.optimizer.m)
            try group.write("velocities", state.optimizer.v)
            try group.write("schedule_product", [state.optimizer.scheduleProduct])
        }
    }

    /// Loads the weights of a Keras HDF5 file (full model or weights only; Keras 2 or Keras 3
    /// naming) into `model`. Like Keras `load_weights`, layers with weights are matched by
    /// order, not by name; the counts and every shape must agree.
    public static func loadWeights(into model: Model, from path: String) throws {
        let file = try HDF5File(opening: path)
        let root: HDF5Group = file.hasAttribute("layer_names") ? file : try file.group("model_weights")
        var stored: [(group: HDF5Group, names: [String])] = []
        for name in try root.stringArrayAttribute("layer_names") {
            let group = try root.group(name)
            let names = try group.stringArrayAttribute("weight_names")
            if !names.isEmpty { stored.append((group, names)) }
        }
        let targets = model.layers.indices.filter { !model.layers[$0].weightShapes.isEmpty }
        guard stored.count == targets.count else {
            throw HDF5Error(file: path, object: root.path, message: "layer_names has \(stored.count) layers with weights, "
                            + "but \(model.name) has \(targets.count)")
        }
        for ((group, names), i) in zip(stored, targets) {
            let shapes = model.layers[i].weightShapes
            guard names.count == shapes.count else {
                throw HDF5Error(file: path, object: group.path, message: "weight_names lists \(names.count) weights, "
                                + "layer \(model.layers[i].name) of \(model.name) has \(shapes.count)")
            }
            var values: [[Float]] = []
            for (name, shape) in zip(names, shapes) {
                let dataset = try group.dataset(name)
                guard dataset.shape == shape else {
                    throw HDF5Error(file: path, object: dataset.path, message: "shape \(dataset.shape), expected \(shape) "
                                    + "for layer \(model.layers[i].name) of \(model.name)")
                }
                values.append(try dataset.read(as: Float.self))
            }
            model.setWeights(ofLayer: i, values)
        }
    }

    /// Reads the training state written by `write(_:to:state:)`.
    public static func readTrainingState(from path: String) throws -> TrainingState {
        let file = try HDF5File(opening: path)
        let group = try file.group("training_state")
        let scheduleName = try group.stringAttribute("schedule")
        guard let schedule = Nadam.Schedule(rawValue: scheduleName) else {
            throw HDF5Error(file: path, object: group.path, message: "attribute 'schedule' is '\(scheduleName)', expected keras2 or keras3")
        }
        let momentums = try group.read("momentums", as: Float.self)
        let velocities = try group.read("velocities", as: Float.self)
        let product = try group.read("schedule_product", as: Float.self)
        guard momentums.count == velocities.count, product.count == 1 else {
            throw HDF5Error(file: path, object: group.path, message: "momentums (\(momentums.count)), velocities "
                            + "(\(velocities.count)) and schedule_product (\(product.count), expected 1) do not fit together")
        }
        let learningRate = try group.numericAttribute("learning_rate", as: Float.self)
        guard learningRate.count == 1 else {
            throw HDF5Error(file: path, object: group.path, message: "attribute 'learning_rate' has \(learningRate.count) values, expected 1")
        }
        let optimizer = Nadam.State(m: momentums, v: velocities, scheduleProduct: product[0],
                                    iteration: try group.attribute("iteration", as: Int.self))
        return TrainingState(epoch: try group.attribute("epoch", as: Int.self), step: try group.attribute("step", as: Int.self),
                             rngState: UInt64(UInt(bitPattern: try group.attribute("rng_state", as: Int.self))),
                             schedule: schedule, learningRate: learningRate[0], optimizer: optimizer)
    }
}
