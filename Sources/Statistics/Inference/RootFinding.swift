/// One-dimensional root finders on a bracket [a, b] with f(a) < 0 < f(b) (or the reverse).
public enum RootFinding {
    /// Newton's method kept inside the bracket, falling back to bisection when a step leaves it
    /// or converges slowly (Numerical Recipes' rtsafe). The caller guarantees f(lo) < 0 < f(hi);
    /// `f` returns the value and the derivative.
    public static func safeguardedNewton(
        negativeAt lo: Double, positiveAt hi: Double, start: Double? = nil,
        relativeTolerance: Double, maxIterations: Int = 100,
        _ f: (Double) throws -> (value: Double, derivative: Double)
    ) throws -> Double {
        var lo = lo, hi = hi
        let bracket = min(lo, hi)...max(lo, hi)
        var x = start.map { min(max($0, bracket.lowerBound), bracket.upperBound) } ?? 0.5 * (lo + hi)
        var previousStep = abs(hi - lo), step = previousStep
        var (fx, dfx) = try f(x)
        if fx == 0 { return x }
        if fx < 0 { lo = x } else { hi = x }
        for _ in 0..<maxIterations {
            let outside = ((x - hi) * dfx - fx) * ((x - lo) * dfx - fx) > 0
            if outside || abs(2 * fx) > abs(previousStep * dfx) || !dfx.isFinite {
                previousStep = step
                step = 0.5 * (hi - lo)
                x = lo + step
            } else {
                previousStep = step
                step = fx / dfx
                x -= step
            }
            if abs(step) <= relativeTolerance * abs(x) { return x }
            (fx, dfx) = try f(x)
            if fx == 0 { return x }
            if fx < 0 { lo = x } else { hi = x }
            if abs(hi - lo) <= relativeTolerance * abs(x) { return x }
        }
        throw StatisticsError.limitNotFound("no convergence in \(maxIterations) iterations")
    }

    /// Brent's method (inverse quadratic interpolation, secant and bisection).
    public static func brent(
        in bracket: ClosedRange<Double>, relativeTolerance: Double, maxIterations: Int = 200,
        _ f: (Double) throws -> Double
    ) throws -> Double {
        var a = bracket.lowerBound, b = bracket.upperBound
        var fa = try f(a), fb = try f(b)
        if fa == 0 { return a }
        if fb == 0 { return b }
        guard (fa < 0) != (fb < 0) else {
            throw StatisticsError.limitNotFound("f(\(a)) = \(fa) and f(\(b)) = \(fb) do not bracket a root")
        }
        var c = a, fc = fa, d = b - a, e = d
        for _ in 0..<maxIterations {
            if (fb > 0) == (fc > 0) {
                c = a
                fc = fa
                d = b - a
                e = d
            }
            if abs(fc) < abs(fb) {
                a = b
                b = c
                c = a
                fa = fb
                fb = fc
                fc = fa
            }
            let tol = 2 * Double.ulpOfOne * abs(b) + 0.5 * relativeTolerance * abs(b)
            let m = 0.5 * (c - b)
            if abs(m) <= tol || fb == 0 { return b }
            if abs(e) >= tol && abs(fa) > abs(fb) {
                var p: Double, q: Double
                let s = fb / fa
                if a == c {
                    p = 2 * m * s
                    q = 1 - s
                } else {
                    let qq = fa / fc, r = fb / fc
                    p = s * (2 * m * qq * (qq - r) - (b - a) * (r - 1))
                    q = (qq - 1) * (r - 1) * (s - 1)
                }
                if p > 0 { q = -q } else { p = -p }
                if 2 * p < min(3 * m * q - abs(tol * q), abs(e * q)) {
                    e = d
                    d = p / q
                } else {
                    d = m
                    e = m
                }
            } else {
                d = m
                e = m
            }
            a = b
            fa = fb
            b += abs(d) > tol ? d : (m > 0 ? tol : -tol)
            fb = try f(b)
        }
        throw StatisticsError.limitNotFound("no convergence in \(maxIterations) iterations")
    }
}
