import Foundation

/// Nadam with the momentum schedule of Keras 2.2.4 (the paper's) or of Keras 3.
///
/// The momentum schedule is u_t = β1·(1 − 0.5·0.96^(s·t)) with s = 0.004 (`keras2`, default) or
/// s = 1 (`keras3`). Both variants follow their Keras source line by line in float32, in the
/// same operation order (β's cast to Float before 1 − β, float32 `powf`), so the Keras 3
/// variant can reproduce TensorFlow bit for bit:
///
/// keras2 (standalone Keras 2.2.4 `Nadam.get_updates`), t = iteration + 1:
///   Π ← Π·u_t; g' = g/(1 − Π); m ← β1·m + (1 − β1)·g; m' = m/(1 − Π·u_{t+1});
///   v ← β2·v + (1 − β2)·g²; v' = v/(1 − β2^t); θ ← θ − lr·((1 − u_t)·g' + u_{t+1}·m')/(√v' + ε)
/// keras3 (keras/src/optimizers/nadam.py):
///   Π ← (Π·β1)·(1 − 0.5·0.96^t); m ← m + (g − m)(1 − β1); v ← v + (g² − v)(1 − β2);
///   m̂ = u_{t+1}·m/(1 − Π·u_{t+1}) + (1 − u_t)·g/(1 − Π); v̂ = v/(1 − β2^t);
///   θ ← θ − (m̂·lr)/(√v̂ + ε)
public final class Nadam {
    /// Which Keras version's momentum schedule to follow.
    public enum Schedule: String, Sendable, CaseIterable {
        /// 0.96^(0.004·t), standalone Keras ≤ 2.3 (the paper used Keras 2.2.4).
        case keras2
        /// 0.96^t, Keras 3.
        case keras3
    }

    /// Everything needed to resume the optimizer exactly.
    public struct State: Sendable, Equatable {
        /// First moments, one per parameter.
        public var m: [Float]
        /// Second moments, one per parameter.
        public var v: [Float]
        /// Π = u_1·…·u_t (Keras 2 `m_schedule`, Keras 3 `_u_product`).
        public var scheduleProduct: Float
        /// Steps taken so far.
        public var iteration: Int
        public init(m: [Float], v: [Float], scheduleProduct: Float, iteration: Int) {
            self.m = m
            self.v = v
            self.scheduleProduct = scheduleProduct
            self.iteration = iteration
        }
    }

    public let learningRate: Float, beta1: Float, beta2: Float, epsilon: Float
    public let schedule: Schedule
    /// First and second moments (same layout as the model's parameters).
    public let m: FloatBuffer, v: FloatBuffer
    /// Π = u_1·…·u_t.
    public private(set) var scheduleProduct: Float = 1
    /// Steps taken so far.
    public private(set) var iteration = 0

    /// Keras defaults of the paper: lr 0.001, β1 0.9, β2 0.999, ε 1e-7.
    public init(
        parameterCount: Int, learningRate: Float = 0.001, beta1: Float = 0.9, beta2: Float = 0.999,
        epsilon: Float = 1e-7, schedule: Schedule = .keras2
    ) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.schedule = schedule
        m = FloatBuffer(count: parameterCount)
        v = FloatBuffer(count: parameterCount)
    }

    /// u_t = β1·(1 − 0.5·0.96^(s·t)) in float32.
    public func momentum(at t: Int) -> Float {
        let exponent = schedule == .keras2 ? Float(t) * Float(0.004) : Float(t)
        return beta1 * (1 - 0.5 * powf(0.96, exponent))
    }

    /// One update θ ← θ − Δ(g) over the whole flat buffers.
    public func step(parameters: FloatBuffer, gradients: FloatBuffer) {
        precondition(
            parameters.count == m.count && gradients.count == m.count,
            "Nadam: \(parameters.count) parameters and \(gradients.count) gradients for an optimizer of \(m.count)")
        switch schedule {
        case .keras2: stepKeras2(parameters.pointer, gradients.pointer)
        case .keras3: stepKeras3(parameters.pointer, gradients.pointer)
        }
        iteration += 1
    }

    private func stepKeras2(_ p: UnsafeMutablePointer<Float>, _ g: UnsafeMutablePointer<Float>) {
        let t = Float(iteration) + 1
        let uT = beta1 * (1 - 0.5 * powf(0.96, t * Float(0.004)))
        let uNext = beta1 * (1 - 0.5 * powf(0.96, (t + 1) * Float(0.004)))
        let productNew = scheduleProduct * uT, productNext = scheduleProduct * uT * uNext
        let gScale = 1 - productNew, mScale = 1 - productNext, vScale = 1 - powf(beta2, t)
        let (b1, b2, oneMinusB1, oneMinusB2) = (beta1, beta2, 1 - beta1, 1 - beta2)
        let (oneMinusU, lr, eps) = (1 - uT, learningRate, epsilon)
        let mm = m.pointer, vv = v.pointer
        for i in 0..<m.count {
            let gi = g[i]
            let gPrime = gi / gScale
            let mi = b1 * mm[i] + oneMinusB1 * gi
            let vi = b2 * vv[i] + oneMinusB2 * (gi * gi)
            mm[i] = mi
            vv[i] = vi
            let mBar = oneMinusU * gPrime + uNext * (mi / mScale)
            p[i] = p[i] - (lr * mBar) / ((vi / vScale).squareRoot() + eps)
        }
        scheduleProduct = productNew
    }

    private func stepKeras3(_ p: UnsafeMutablePointer<Float>, _ g: UnsafeMutablePointer<Float>) {
        let t = iteration + 1
        scheduleProduct = (scheduleProduct * beta1) * (1 - 0.5 * powf(0.96, Float(t)))
        let uT = momentum(at: t), uNext = momentum(at: t + 1)
        let productNext = scheduleProduct * uNext
        let mScale = 1 - productNext, gScale = 1 - scheduleProduct, vScale = 1 - powf(beta2, Float(t))
        let (oneMinusB1, oneMinusB2, oneMinusU, lr, eps) = (1 - beta1, 1 - beta2, 1 - uT, learningRate, epsilon)
        let mm = m.pointer, vv = v.pointer
        for i in 0..<m.count {
            let gi = g[i]
            let mi = mm[i] + (gi - mm[i]) * oneMinusB1
            let vi = vv[i] + (gi * gi - vv[i]) * oneMinusB2
            mm[i] = mi
            vv[i] = vi
            let mHat = (uNext * mi) / mScale + (oneMinusU * gi) / gScale
            p[i] = p[i] - (mHat * lr) / ((vi / vScale).squareRoot() + eps)
        }
    }

    /// The optimizer state, for a checkpoint.
    public var state: State {
        State(m: m.array, v: v.array, scheduleProduct: scheduleProduct, iteration: iteration)
    }

    /// Restores a state saved by `state`.
    public func restore(_ state: State) {
        precondition(
            state.m.count == m.count && state.v.count == v.count,
            "Nadam: state for \(state.m.count) parameters, optimizer has \(m.count)")
        m.copy(from: state.m)
        v.copy(from: state.v)
        scheduleProduct = state.scheduleProduct
        iteration = state.iteration
    }
}
