import CMPI

/// A Swift scalar type with a matching MPI datatype.
public protocol MPIElement: Sendable {
    static var mpiDatatype: MPI_Datatype { get }
    /// `a op b` as MPI computes it (integer sums wrap around).
    static func combine(_ a: Self, _ b: Self, _ op: ReduceOperation) -> Self
}

extension MPIElement where Self: FloatingPoint {
    public static func combine(_ a: Self, _ b: Self, _ op: ReduceOperation) -> Self {
        switch op {
        case .sum: return a + b
        case .max: return Swift.max(a, b)
        case .min: return Swift.min(a, b)
        }
    }
}

extension MPIElement where Self: FixedWidthInteger {
    public static func combine(_ a: Self, _ b: Self, _ op: ReduceOperation) -> Self {
        switch op {
        case .sum: return a &+ b
        case .max: return Swift.max(a, b)
        case .min: return Swift.min(a, b)
        }
    }
}

extension Float: MPIElement { public static var mpiDatatype: MPI_Datatype { cmpi_float() } }
extension Double: MPIElement { public static var mpiDatatype: MPI_Datatype { cmpi_double() } }
extension Int: MPIElement { public static var mpiDatatype: MPI_Datatype { cmpi_int64() } }
extension Int64: MPIElement { public static var mpiDatatype: MPI_Datatype { cmpi_int64() } }
extension Int32: MPIElement { public static var mpiDatatype: MPI_Datatype { cmpi_int32() } }
extension UInt8: MPIElement { public static var mpiDatatype: MPI_Datatype { cmpi_byte() } }

/// A reduction operation.
public enum ReduceOperation: Sendable {
    case sum, max, min
    var mpiOp: MPI_Op {
        switch self {
        case .sum: return cmpi_op_sum()
        case .max: return cmpi_op_max()
        case .min: return cmpi_op_min()
        }
    }
}

/// An MPI call that returned an error code.
public struct MPIError: Error, CustomStringConvertible {
    public var call: String
    public var code: Int32
    public var description: String { "\(call) failed with MPI error code \(code)" }
}

@inline(__always)
func check(_ rc: Int32, _ call: @autoclosure () -> String) throws(MPIError) {
    if rc != MPI_SUCCESS { throw MPIError(call: call(), code: rc) }
}
