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
    static func constraintTerm(_ c: Constraint, _ x: Double, _ a: Double) -> (value: Double, first: Double, second: Double) {
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
    public func nllWithDerivatives(_ theta: [Double], data: Dataset,
                                   gradient: inout [Double], hessian: inout [Double]) -> Double {
        let n = parameters.count
        gradient = [Double](repeating: 0, count: n)
        hessian = [Double](repeating: 0, count: n * n)
        let nu = expected(theta)
        var value = 0.0
        // c_b = ∂NLL/∂ν_b, e_b = ∂²NLL/∂ν_b².
        var c = [Double](repeating: 0, count: binCount), e = c
        for b in 0..<binCount {
            let d = data.main[b]
            value += Self.poissonTerm(nu[b], d)
            c[b] = d == 0 ? 1 : 1 - d / nu[b]
            e[b] = d == 0 ? 0 : d / (nu[b] * nu[b])
        }
        // J = ∂ν/∂θ (bins × n); second derivatives of ν go straight into the Hessian.
        var jacobian = [Double](repeating: 0, count: binCount * n)
        var slotValue = [Double](repeating: 0, count: 16)
        var without = slotValue, first = slotValue, second = slotValue
        for t in termNominal.indices {
            let b = termBin[t], cb = c[b]
            let f0 = factorOffsets[t], nf = factorOffsets[t + 1] - f0
            // Slot 0 is the additive part A = n + ΣΔ; slots 1…nf the factors.
            var a = termNominal[t]
            for k in additiveOffsets[t]..<additiveOffsets[t + 1] {
                a += additiveCode[k].evaluate(theta[additiveParameter[k]]).value
            }
            if slotValue.count < nf + 1 {
                slotValue = .init(repeating: 0, count: nf + 1)
                without = slotValue; first = slotValue; second = slotValue
            }
            slotValue[0] = a
            for k in 0..<nf {
                let x = theta[factorParameter[f0 + k]]
                if factorCode[f0 + k] < 0 {
                    slotValue[k + 1] = x
                    first[k] = 1
                    second[k] = 0
                } else {
                    let r = code4s[factorCode[f0 + k]].evaluate(x)
                    slotValue[k + 1] = r.value
                    first[k] = r.first
                    second[k] = r.second
                }
            }
            // Products of all slots but one.
            for s in 0...nf {
                var p = 1.0
                for r in 0...nf where r != s { p *= slotValue[r] }
                without[s] = p
            }
            // Additive slot: ∂ν/∂α = Δ'·Π f, ∂²ν/∂α² = Δ''·Π f; cross terms with factors below.
            for k in additiveOffsets[t]..<additiveOffsets[t + 1] {
                let p = additiveParameter[k]
                let delta = additiveCode[k].evaluate(theta[p])
                jacobian[b * n + p] += delta.first * without[0]
                hessian[p * n + p] += cb * delta.second * without[0]
                for j in 0..<nf {
                    var rest = 1.0
                    for s in 1...nf where s != j + 1 { rest *= slotValue[s] }
                    let q = factorParameter[f0 + j]
                    let cross = cb * delta.first * first[j] * rest
                    hessian[p * n + q] += cross
                    hessian[q * n + p] += cross
                }
            }
            for j in 0..<nf {
                let p = factorParameter[f0 + j]
                jacobian[b * n + p] += first[j] * without[j + 1]
                hessian[p * n + p] += cb * second[j] * without[j + 1]
                for l in 0..<nf where l != j {
                    var rest = 1.0
                    for s in 0...nf where s != j + 1 && s != l + 1 { rest *= slotValue[s] }
                    hessian[p * n + factorParameter[f0 + l]] += cb * first[j] * first[l] * rest
                }
            }
        }
        for b in 0..<binCount {
            let row = b * n
            for i in 0..<n where jacobian[row + i] != 0 {
                let ji = jacobian[row + i]
                gradient[i] += c[b] * ji
                for j in 0..<n where jacobian[row + j] != 0 {
                    hessian[i * n + j] += e[b] * ji * jacobian[row + j]
                }
            }
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
