import Foundation

/// The negative log-likelihood of a model on a dataset, with its analytic gradient and Hessian:
/// NLL(θ) = Σ_b [ν_b − d_b − d_b ln(ν_b/d_b)] + Σ_constraints, written relative to the saturated
/// model so that differences keep full precision (constants do not change q̃_μ).
/// Gaussian constraint: (θ − a)²/(2σ²); Poisson: τθ − a − a ln(τθ/a).
extension StatisticalModel {
    /// Expected main-measurement counts ν_b(θ).
    public func expected(_ theta: [Double]) -> [Double] {
        var nu = [Double](repeating: 0, count: binCount)
        for t in termNominal.indices { nu[termBin[t]] += termValue(t, theta) }
        return nu
    }

    @inline(__always)
    private func termValue(_ t: Int, _ theta: [Double]) -> Double {
        var a = termNominal[t]
        for k in additiveOffsets[t]..<additiveOffsets[t + 1] {
            a += additiveCode[k].evaluate(theta[additiveParameter[k]]).value
        }
        for k in factorOffsets[t]..<factorOffsets[t + 1] {
            let x = theta[factorParameter[k]]
            a *= factorCode[k] < 0 ? x : code4s[factorCode[k]].evaluate(x).value
        }
        return a
    }

    /// The Asimov dataset at θ: main counts ν(θ), auxiliary data at their expectation
    /// (θ for Gaussian constraints, τθ for Poisson ones), as pyhf's `expected_data`.
    public func asimov(_ theta: [Double]) -> Dataset {
        var aux = observed.aux
        for (i, p) in parameters.enumerated() {
            switch p.constraint {
            case .none: break
            case .gaussian: aux[i] = theta[i]
            case let .poisson(tau): aux[i] = tau * theta[i]
            }
        }
        return Dataset(main: expected(theta), aux: aux)
    }

    /// NLL(θ); +∞ where an expected count is negative, or zero with data.
    public func nll(_ theta: [Double], data: Dataset) -> Double {
        var total = 0.0
        for (b, nu) in expected(theta).enumerated() {
            total += Self.poissonTerm(nu, data.main[b])
        }
        for (i, p) in parameters.enumerated() where !p.fixed {
            total += Self.constraintTerm(p.constraint, theta[i], data.aux[i]).value
        }
        return total.isNaN ? .infinity : total
    }

    @inline(__always)
    static func poissonTerm(_ nu: Double, _ d: Double) -> Double {
        if nu < 0 { return .infinity }
        if d == 0 { return nu }
        if nu == 0 { return .infinity }
        return nu - d - d * Foundation.log(nu / d)
    }

    /// Value, first and second derivative of one constraint term.
    @inline(__always)
    static func constraintTerm(_ c: Constraint, _ x: Double, _ a: Double) -> (
        value: Double, first: Double, second: Double
    ) {
        switch c {
        case .none: return (0, 0, 0)
        case let .gaussian(sigma):
            let inv = 1 / (sigma * sigma)
            return (0.5 * (x - a) * (x - a) * inv, (x - a) * inv, inv)
        case let .poisson(tau):
            let rate = tau * x
            if a == 0 { return (rate, tau, 0) }
            if rate <= 0 { return (.infinity, -.infinity, .infinity) }
            return (rate - a - a * Foundation.log(rate / a), tau - a / x, a / (x * x))
        }
    }

    /// NLL(θ) with its gradient and Hessian (row-major n×n, n = parameter count) over all
    /// parameters (fixed ones included, without their constraint terms).
    ///
    /// With c_b = ∂NLL/∂ν_b = 1 − d_b/ν_b and e_b = d_b/ν_b²: ∇NLL = Jᵀc and
    /// H = Jᵀ diag(e) J + Σ_b c_b ∇²ν_b + constraint terms, J = ∂ν/∂θ. Each term
    /// t = A·Π_k f_k (A = n + ΣΔ) contributes its second derivatives through prefix and suffix
    /// products of the factors, O(k²) per term.
    public func nllWithDerivatives(
        _ theta: [Double], data: Dataset,
        gradient: inout [Double], hessian: inout [Double]
    ) -> Double {
        let n = parameters.count
        gradient = [Double](repeating: 0, count: n)
        hessian = [Double](repeating: 0, count: n * n)
        let nu = expected(theta)
        var value = 0.0
        let c = (0..<binCount).map { b in data.main[b] == 0 ? 1 : 1 - data.main[b] / nu[b] }
        let e = (0..<binCount).map { b in data.main[b] == 0 ? 0 : data.main[b] / (nu[b] * nu[b]) }
        for b in 0..<binCount { value += Self.poissonTerm(nu[b], data.main[b]) }
        var jacobian = [Double](repeating: 0, count: binCount * n)
        // Scratch per term: factor values, first and second derivatives, prefix and suffix products.
        let width = maxFactorsPerTerm + 1
        let scratch = UnsafeMutablePointer<Double>.allocate(capacity: 5 * width)
        defer { scratch.deallocate() }
        let f = scratch, d1 = scratch + width, d2 = scratch + 2 * width, prefix = scratch + 3 * width,
            suffix = scratch + 4 * width
        jacobian.withUnsafeMutableBufferPointer { J in
            hessian.withUnsafeMutableBufferPointer { H in
                for t in termNominal.indices {
                    let b = termBin[t], cb = c[b]
                    let f0 = factorOffsets[t], nf = factorOffsets[t + 1] - f0
                    var a = termNominal[t]
                    for k in additiveOffsets[t]..<additiveOffsets[t + 1] {
                        a += additiveCode[k].evaluate(theta[additiveParameter[k]]).value
                    }
                    for k in 0..<nf {
                        let x = theta[factorParameter[f0 + k]]
                        if factorCode[f0 + k] < 0 {
                            f[k] = x
                            d1[k] = 1
                            d2[k] = 0
                        } else {
                            let r = code4s[factorCode[f0 + k]].evaluate(x)
                            f[k] = r.value
                            d1[k] = r.first
                            d2[k] = r.second
                        }
                    }
                    // prefix[k] = Π_{i<k} f_i, suffix[k] = Π_{i≥k} f_i.
                    prefix[0] = 1
                    for k in 0..<nf { prefix[k + 1] = prefix[k] * f[k] }
                    suffix[nf] = 1
                    for k in stride(from: nf - 1, through: 0, by: -1) { suffix[k] = suffix[k + 1] * f[k] }
                    let product = prefix[nf]
                    for k in additiveOffsets[t]..<additiveOffsets[t + 1] {
                        let p = additiveParameter[k]
                        let delta = additiveCode[k].evaluate(theta[p])
                        J[b * n + p] += delta.first * product
                        H[p * n + p] += cb * delta.second * product
                        for j in 0..<nf {
                            let q = factorParameter[f0 + j]
                            let cross = cb * delta.first * d1[j] * prefix[j] * suffix[j + 1]
                            H[p * n + q] += cross
                            H[q * n + p] += cross
                        }
                    }
                    for j in 0..<nf {
                        let p = factorParameter[f0 + j]
                        let others = a * prefix[j] * suffix[j + 1]
                        J[b * n + p] += d1[j] * others
                        H[p * n + p] += cb * d2[j] * others
                        var middle = 1.0 // Π_{j<i<l} f_i
                        for l in (j + 1)..<max(j + 1, nf) {
                            let q = factorParameter[f0 + l]
                            let cross = cb * a * prefix[j] * middle * suffix[l + 1] * d1[j] * d1[l]
                            H[p * n + q] += cross
                            H[q * n + p] += cross
                            middle *= f[l]
                        }
                    }
                }
                for b in 0..<binCount {
                    let row = b * n
                    for i in 0..<n where J[row + i] != 0 {
                        let eji = e[b] * J[row + i]
                        for j in 0..<n { H[i * n + j] += eji * J[row + j] }
                    }
                }
            }
        }
        for b in 0..<binCount {
            for i in 0..<n { gradient[i] += c[b] * jacobian[b * n + i] }
        }
        for (i, p) in parameters.enumerated() where !p.fixed {
            let r = Self.constraintTerm(p.constraint, theta[i], data.aux[i])
            value += r.value
            gradient[i] += r.first
            hessian[i * n + i] += r.second
        }
        return value.isNaN ? .infinity : value
    }
}
