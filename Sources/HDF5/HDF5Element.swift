import CHDF5

/// A Swift scalar type stored in HDF5 datasets and attributes with a native HDF5 type.
public protocol HDF5Element: Sendable {
    static var hdf5Type: hid_t { get }
    static var zero: Self { get }
}

extension Float: HDF5Element {
    public static var hdf5Type: hid_t { ch5_native_float() }
    public static var zero: Float { 0 }
}
extension Double: HDF5Element {
    public static var hdf5Type: hid_t { ch5_native_double() }
    public static var zero: Double { 0 }
}
extension Int64: HDF5Element {
    public static var hdf5Type: hid_t { ch5_native_int64() }
    public static var zero: Int64 { 0 }
}
/// `Int` is stored as a 64-bit signed integer.
extension Int: HDF5Element {
    public static var hdf5Type: hid_t { ch5_native_int64() }
    public static var zero: Int { 0 }
}
extension Int32: HDF5Element {
    public static var hdf5Type: hid_t { ch5_native_int32() }
    public static var zero: Int32 { 0 }
}
extension UInt8: HDF5Element {
    public static var hdf5Type: hid_t { ch5_native_uint8() }
    public static var zero: UInt8 { 0 }
}
