import CDNNL

/// A Conv2D layer's oneDNN primitives: forward (bias and activation fused), backward-weights
/// (with the bias gradient) and backward-data, on the engine's channels-last tensors.
///
/// Activations stay in vbfgrid's (N, H, W, C) layout, which oneDNN takes as `nhwc` without a
/// copy; only the kernel is reordered, from Keras's (k, k, in, out) (`hwio`) into the blocked
/// layout each primitive prefers, and the kernel gradient back. Primitives are built per batch
/// size on first use (the last two sizes are kept: training's and the epoch's remainder).
final class OneDNNConvolution {
    let height: Int, width: Int, inChannels: Int, filters: Int, kernelSize: Int
    let activation: Activation
    private var plans: [(batch: Int, plan: Plan)] = []

    init(height: Int, width: Int, inChannels: Int, filters: Int, kernelSize: Int, activation: Activation) {
        (self.height, self.width, self.inChannels, self.filters, self.kernelSize) = (
            height, width, inChannels, filters, kernelSize
        )
        self.activation = activation
    }

    private var kernelCount: Int { kernelSize * kernelSize * inChannels * filters }

    func forward(
        input x: UnsafePointer<Float>, output y: UnsafeMutablePointer<Float>, batch: Int,
        parameters: UnsafePointer<Float>
    ) {
        let p = plan(batch)
        p.buffers.set(p.buffers.userKernel, parameters)
        p.run(p.kernelToForward)
        p.buffers.set(p.buffers.source, x)
        p.buffers.set(p.buffers.bias, parameters + kernelCount)
        p.buffers.set(p.buffers.destination, y)
        p.run(p.forward)
    }

    /// Kernel and bias gradients from `dy` (the activation derivative already applied), and
    /// `dx` unless nil.
    func backward(
        input x: UnsafePointer<Float>, outputGradient dy: UnsafeMutablePointer<Float>,
        inputGradient dx: UnsafeMutablePointer<Float>?, batch: Int,
        parameters: UnsafePointer<Float>, gradients: UnsafeMutablePointer<Float>
    ) {
        let p = plan(batch)
        p.buffers.set(p.buffers.source, x)
        p.buffers.set(p.buffers.destinationGradient, dy)
        p.buffers.set(p.buffers.bias, gradients + kernelCount)
        p.buffers.set(p.buffers.userKernel, gradients)
        p.run(p.backwardWeights)
        p.run(p.kernelGradientToUser)
        guard let dx else { return }
        let data = p.backwardData
        p.buffers.set(p.buffers.userKernel, parameters)
        p.run(data.kernelReorder)
        p.buffers.set(p.buffers.sourceGradient, dx)
        p.run(data.step)
    }

    private func plan(_ batch: Int) -> Plan {
        if let found = plans.first(where: { $0.batch == batch }) { return found.plan }
        let plan = Plan(self, batch: batch)
        plans = [(batch, plan)] + plans.prefix(1)
        return plan
    }

    /// Memory objects without buffers of their own: each gets a vbfgrid pointer before use.
    final class Buffers {
        let source: dnnl_memory_t, destination: dnnl_memory_t, bias: dnnl_memory_t, userKernel: dnnl_memory_t
        let sourceGradient: dnnl_memory_t, destinationGradient: dnnl_memory_t

        init(
            source: dnnl_memory_desc_t, destination: dnnl_memory_desc_t, bias: dnnl_memory_desc_t,
            kernel: dnnl_memory_desc_t
        ) {
            let engine = OneDNN.shared
            (self.source, sourceGradient) = (
                engine.memory(source, allocate: false), engine.memory(source, allocate: false)
            )
            (self.destination, destinationGradient) = (
                engine.memory(destination, allocate: false),
                engine.memory(destination, allocate: false)
            )
            self.bias = engine.memory(bias, allocate: false)
            userKernel = engine.memory(kernel, allocate: false)
        }

        deinit {
            for m in [source, destination, bias, userKernel, sourceGradient, destinationGradient] {
                dnnl_memory_destroy(m)
            }
        }

        func set(_ memory: dnnl_memory_t, _ pointer: UnsafePointer<Float>) {
            OneDNN.check(
                dnnl_memory_set_data_handle(memory, UnsafeMutableRawPointer(mutating: pointer)), "setting a buffer")
        }
    }

    /// A kernel in a primitive's layout: the hwio memory itself when that is the layout, else a
    /// oneDNN-owned buffer, with the reorder from (`fill`) or to (`drain`) hwio.
    final class StagedKernel {
        let memory: dnnl_memory_t
        let owned: Bool
        let fill: Step?, drain: Step?

        init(_ layout: dnnl_memory_desc_t, user: dnnl_memory_t, _ userLayout: dnnl_memory_desc_t) {
            let engine = OneDNN.shared
            guard let fill = engine.reorder(from: userLayout, to: layout) else {
                (memory, owned, self.fill, drain) = (user, false, nil, nil)
                return
            }
            let staged = engine.memory(layout, allocate: true)
            (memory, owned) = (staged, true)
            self.fill = Step(fill, [(DNNL_ARG_FROM, user), (DNNL_ARG_TO, staged)])
            drain = engine.reorder(from: layout, to: userLayout).map {
                Step($0, [(DNNL_ARG_FROM, staged), (DNNL_ARG_TO, user)])
            }
        }

        deinit { if owned { dnnl_memory_destroy(memory) } }
    }

    /// The primitives of one batch size.
    final class Plan {
        let buffers: Buffers
        let layout:
            (
                source: dnnl_memory_desc_t, kernel: dnnl_memory_desc_t, destination: dnnl_memory_desc_t,
                bias: dnnl_memory_desc_t
            )
        let geometry: (strides: [Int64], padBefore: [Int64], padAfter: [Int64])
        let forward: Step, forwardKernel: StagedKernel
        let backwardWeights: Step, kernelGradient: StagedKernel
        var kernelToForward: Step? { forwardKernel.fill }
        var kernelGradientToUser: Step? { kernelGradient.drain }
        /// Built on the first backward pass that needs the input gradient (never for a first layer).
        private(set) lazy var backwardData: (step: Step, kernel: StagedKernel, kernelReorder: Step?) =
            makeBackwardData()

        init(_ conv: OneDNNConvolution, batch: Int) {
            let (k, c, o) = (conv.kernelSize, conv.inChannels, conv.filters)
            let before = (k - 1) / 2
            geometry = ([1, 1], [Int64(before), Int64(before)], [Int64(k - 1 - before), Int64(k - 1 - before)])
            layout = (
                OneDNN.descriptor([batch, c, conv.height, conv.width], dnnl_nhwc),
                OneDNN.descriptor([o, c, k, k], dnnl_hwio),
                OneDNN.descriptor([batch, o, conv.height, conv.width], dnnl_nhwc),
                OneDNN.descriptor([o], dnnl_x)
            )
            buffers = Buffers(
                source: layout.source, destination: layout.destination, bias: layout.bias, kernel: layout.kernel)
            let engine = OneDNN.shared

            var op = dnnl_convolution_desc_t()
            var (s, kernel, b, d) = (layout.source, anyLayout(layout.kernel), layout.bias, layout.destination)
            OneDNN.check(
                dnnl_convolution_forward_desc_init(
                    &op, dnnl_forward_training, dnnl_convolution_direct, &s, &kernel, &b, &d,
                    geometry.strides, geometry.padBefore, geometry.padAfter), "describing the forward convolution")
            let forwardPrimitive = Primitive(
                engine.primitiveDescriptor(
                    &op, postOp: conv.activation.oneDNNPostOp,
                    "choosing a forward convolution"), "creating the forward convolution")
            forwardKernel = StagedKernel(
                forwardPrimitive.layout(dnnl_query_weights_md), user: buffers.userKernel, layout.kernel)
            forward = Step(
                forwardPrimitive,
                [
                    (DNNL_ARG_SRC, buffers.source), (DNNL_ARG_WEIGHTS, forwardKernel.memory),
                    (DNNL_ARG_BIAS, buffers.bias), (DNNL_ARG_DST, buffers.destination),
                ])

            var weightsOp = dnnl_convolution_desc_t()
            OneDNN.check(
                dnnl_convolution_backward_weights_desc_init(
                    &weightsOp, dnnl_convolution_direct, &s, &kernel, &b, &d,
                    geometry.strides, geometry.padBefore, geometry.padAfter),
                "describing the backward-weights convolution")
            let weightsPrimitive = Primitive(
                engine.primitiveDescriptor(
                    &weightsOp, hint: forwardPrimitive.descriptor,
                    "choosing a backward-weights convolution"),
                "creating the backward-weights convolution")
            kernelGradient = StagedKernel(
                weightsPrimitive.layout(dnnl_query_diff_weights_md), user: buffers.userKernel, layout.kernel)
            backwardWeights = Step(
                weightsPrimitive,
                [
                    (DNNL_ARG_SRC, buffers.source), (DNNL_ARG_DIFF_DST, buffers.destinationGradient),
                    (DNNL_ARG_DIFF_WEIGHTS, kernelGradient.memory), (DNNL_ARG_DIFF_BIAS, buffers.bias),
                ])
        }

        private func makeBackwardData() -> (step: Step, kernel: StagedKernel, kernelReorder: Step?) {
            var op = dnnl_convolution_desc_t()
            var (s, k, d) = (layout.source, anyLayout(layout.kernel), layout.destination)
            OneDNN.check(
                dnnl_convolution_backward_data_desc_init(
                    &op, dnnl_convolution_direct, &s, &k, &d,
                    geometry.strides, geometry.padBefore, geometry.padAfter), "describing the backward-data convolution"
            )
            let primitive = Primitive(
                OneDNN.shared.primitiveDescriptor(
                    &op, hint: forward.primitive.descriptor,
                    "choosing a backward-data convolution"),
                "creating the backward-data convolution")
            var wanted = primitive.layout(dnnl_query_weights_md),
                forwardLayout = forward.primitive.layout(dnnl_query_weights_md)
            // The forward pass's reordered kernel serves when the layouts agree (it holds this step's weights).
            let kernel =
                dnnl_memory_desc_equal(&wanted, &forwardLayout) != 0
                ? forwardKernel : StagedKernel(wanted, user: buffers.userKernel, layout.kernel)
            let step = Step(
                primitive,
                [
                    (DNNL_ARG_DIFF_DST, buffers.destinationGradient), (DNNL_ARG_WEIGHTS, kernel.memory),
                    (DNNL_ARG_DIFF_SRC, buffers.sourceGradient),
                ])
            return (step, kernel, kernel === forwardKernel ? nil : kernel.fill)
        }

        func run(_ step: Step?) {
            guard let step else { return }
            OneDNN.shared.execute(step)
        }
    }
}

/// `md` with its layout left to the primitive (`dnnl_format_tag_any`).
private func anyLayout(_ md: dnnl_memory_desc_t) -> dnnl_memory_desc_t {
    var dims = md.dims
    let count = Int(md.ndims)
    let list = withUnsafeBytes(of: &dims) { Array($0.bindMemory(to: Int64.self).prefix(count)) }
    return OneDNN.descriptor(list.map(Int.init), dnnl_format_tag_any)
}

extension Activation {
    /// The oneDNN eltwise post-op computing this activation, nil for none.
    var oneDNNPostOp: dnnl_alg_kind_t? {
        switch self {
        case .linear, .softmax: nil
        case .relu: dnnl_eltwise_relu
        case .sigmoid: dnnl_eltwise_logistic
        }
    }
}
