import CDNNL
import Foundation

/// The process's oneDNN CPU engine and stream. oneDNN runs its primitives on OpenMP threads:
/// one per process unless `OMP_NUM_THREADS` says otherwise (as OpenBLAS runs one per rank).
final class OneDNN: @unchecked Sendable {
    static let shared = OneDNN()

    let engine: dnnl_engine_t
    let stream: dnnl_stream_t
    let threads: Int32

    private init() {
        var engine: dnnl_engine_t?
        OneDNN.check(dnnl_engine_create(&engine, dnnl_cpu, 0), "creating the CPU engine")
        var stream: dnnl_stream_t?
        OneDNN.check(dnnl_stream_create(&stream, engine, dnnl_stream_default_flags.rawValue), "creating a stream")
        self.engine = engine!
        self.stream = stream!
        let requested = ProcessInfo.processInfo.environment["OMP_NUM_THREADS"].flatMap { Int32($0) } ?? 1
        threads = max(requested, 1)
    }

    /// Sets the calling thread's OpenMP team size to `threads`. oneDNN reads it both when it
    /// builds a primitive (which splits the work, and so the order of its sums, for that many
    /// threads) and when it runs one, so every creation and execution goes through here.
    func pinThreads() { omp_set_num_threads(threads) }

    /// Runs `step` and waits for it, on `threads` OpenMP threads.
    func execute(_ step: Step) {
        pinThreads()
        step.arguments.withUnsafeBufferPointer {
            OneDNN.check(
                dnnl_primitive_execute(step.primitive.primitive, stream, Int32($0.count), $0.baseAddress),
                "executing a primitive")
        }
        OneDNN.check(dnnl_stream_wait(stream), "waiting for the stream")
    }

    /// Stops with oneDNN's status name when a call fails (a bad shape or an unsupported
    /// configuration, which are programming errors here).
    static func check(_ status: dnnl_status_t, _ what: String) {
        guard status != dnnl_success else { return }
        fatalError("oneDNN: \(what): \(String(cString: dnnl_status2str(status)))")
    }

    /// A plain memory descriptor of `dims` in `tag` order (or `dnnl_format_tag_any`).
    static func descriptor(_ dims: [Int], _ tag: dnnl_format_tag_t) -> dnnl_memory_desc_t {
        var md = dnnl_memory_desc_t()
        check(
            dnnl_memory_desc_init_by_tag(&md, Int32(dims.count), dims.map(Int64.init), dnnl_f32, tag),
            "descriptor \(dims)")
        return md
    }

    /// A memory object of `md`: library-allocated, or without a buffer (set one before each use).
    func memory(_ md: dnnl_memory_desc_t, allocate: Bool) -> dnnl_memory_t {
        var md = md
        var memory: dnnl_memory_t?
        OneDNN.check(
            dnnl_memory_create(&memory, &md, engine, allocate ? cdnnl_memory_allocate() : cdnnl_memory_none()),
            "creating memory")
        return memory!
    }

    /// Primitive attributes with `postOp` fused, when not nil.
    func attributes(postOp: dnnl_alg_kind_t? = nil) -> dnnl_primitive_attr_t {
        var attributes: dnnl_primitive_attr_t?
        OneDNN.check(dnnl_primitive_attr_create(&attributes), "creating attributes")
        if let postOp {
            var postOps: dnnl_post_ops_t?
            OneDNN.check(dnnl_post_ops_create(&postOps), "creating post-ops")
            OneDNN.check(dnnl_post_ops_append_eltwise(postOps, 1, postOp, 0, 0), "fusing the activation")
            OneDNN.check(dnnl_primitive_attr_set_post_ops(attributes, postOps), "setting post-ops")
            dnnl_post_ops_destroy(postOps)
        }
        return attributes!
    }

    /// The primitive descriptor of `descriptor` (an operation descriptor) with the forward `hint`.
    func primitiveDescriptor(
        _ descriptor: UnsafeRawPointer, postOp: dnnl_alg_kind_t? = nil,
        hint: dnnl_primitive_desc_t? = nil, _ what: String
    ) -> dnnl_primitive_desc_t {
        let attributes = self.attributes(postOp: postOp)
        defer { dnnl_primitive_attr_destroy(attributes) }
        pinThreads()
        var pd: dnnl_primitive_desc_t?
        OneDNN.check(dnnl_primitive_desc_create(&pd, descriptor, attributes, engine, hint), what)
        return pd!
    }

    /// A reorder from `source` to `destination` layout, or nil when they are the same.
    func reorder(from source: dnnl_memory_desc_t, to destination: dnnl_memory_desc_t) -> Primitive? {
        var (s, d) = (source, destination)
        if dnnl_memory_desc_equal(&s, &d) != 0 { return nil }
        let attributes = self.attributes()
        defer { dnnl_primitive_attr_destroy(attributes) }
        pinThreads()
        var pd: dnnl_primitive_desc_t?
        OneDNN.check(dnnl_reorder_primitive_desc_create(&pd, &s, engine, &d, engine, attributes), "creating a reorder")
        return Primitive(pd!, "creating a reorder")
    }

    /// oneDNN's version, e.g. "2.6.3".
    static var version: String {
        let v = dnnl_version()!.pointee
        return "\(v.major).\(v.minor).\(v.patch)"
    }

    /// The instruction set oneDNN's kernels use on this CPU, e.g. "avx512_core_vnni" (AVX-512 with
    /// VNNI); `ONEDNN_MAX_CPU_ISA=AVX2` caps it.
    static var isa: String {
        let name = String(cString: dnnl_cpu_isa2str(dnnl_get_effective_cpu_isa()))
        return name.hasPrefix("cpu_isa_") ? String(name.dropFirst(8)) : name
    }
}

/// A oneDNN primitive with its descriptor (destroyed with it).
final class Primitive {
    let primitive: dnnl_primitive_t
    let descriptor: dnnl_primitive_desc_t

    /// Takes ownership of `descriptor`.
    init(_ descriptor: dnnl_primitive_desc_t, _ what: String) {
        var primitive: dnnl_primitive_t?
        OneDNN.shared.pinThreads()
        OneDNN.check(dnnl_primitive_create(&primitive, descriptor), what)
        self.primitive = primitive!
        self.descriptor = descriptor
    }

    /// The layout the primitive wants for `query` (e.g. `dnnl_query_weights_md`).
    func layout(_ query: dnnl_query_t) -> dnnl_memory_desc_t {
        dnnl_primitive_desc_query_md(descriptor, query, 0)!.pointee
    }

    deinit {
        dnnl_primitive_destroy(primitive)
        dnnl_primitive_desc_destroy(descriptor)
    }
}

/// A primitive with the memory objects it runs on.
struct Step {
    let primitive: Primitive
    let arguments: [dnnl_exec_arg_t]

    init(_ primitive: Primitive, _ arguments: [(Int32, dnnl_memory_t)]) {
        self.primitive = primitive
        self.arguments = arguments.map { dnnl_exec_arg_t(arg: $0.0, memory: $0.1) }
    }
}
