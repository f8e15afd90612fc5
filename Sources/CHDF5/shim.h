// HDF5 "constants" are macros with side effects (they call H5open()); Swift cannot import
// them, so these one-liners return their values.
#ifndef VBFGRID_CHDF5_SHIM_H
#define VBFGRID_CHDF5_SHIM_H
#include <hdf5.h>
#include <malloc.h>

static inline hid_t ch5_native_float(void) { return H5T_NATIVE_FLOAT; }
static inline hid_t ch5_native_double(void) { return H5T_NATIVE_DOUBLE; }
static inline hid_t ch5_native_uint8(void) { return H5T_NATIVE_UINT8; }
static inline hid_t ch5_native_int32(void) { return H5T_NATIVE_INT32; }
static inline hid_t ch5_native_int64(void) { return H5T_NATIVE_INT64; }
static inline hid_t ch5_c_s1(void) { return H5T_C_S1; }
static inline hid_t ch5_p_default(void) { return H5P_DEFAULT; }
static inline hid_t ch5_s_all(void) { return H5S_ALL; }
static inline hid_t ch5_p_file_access(void) { return H5P_FILE_ACCESS; }
static inline hid_t ch5_p_file_create(void) { return H5P_FILE_CREATE; }
static inline hid_t ch5_p_dataset_create(void) { return H5P_DATASET_CREATE; }
static inline hid_t ch5_p_dataset_xfer(void) { return H5P_DATASET_XFER; }
static inline hid_t ch5_p_link_create(void) { return H5P_LINK_CREATE; }
static inline hid_t ch5_p_group_create(void) { return H5P_GROUP_CREATE; }
static inline unsigned ch5_acc_trunc(void) { return H5F_ACC_TRUNC; }
static inline unsigned ch5_acc_excl(void) { return H5F_ACC_EXCL; }
static inline unsigned ch5_acc_rdonly(void) { return H5F_ACC_RDONLY; }
static inline unsigned ch5_acc_rdwr(void) { return H5F_ACC_RDWR; }
static inline hsize_t ch5_unlimited(void) { return H5S_UNLIMITED; }
static inline void ch5_silence_errors(void) { H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }
// glibc's malloc tuning: blocks below `mmap_bytes` come from the heap, which is trimmed only
// above `trim_bytes` free at its top.
static inline void ch5_keep_blocks_in_heap(int mmap_bytes, int trim_bytes) {
    mallopt(M_MMAP_THRESHOLD, mmap_bytes);
    mallopt(M_TRIM_THRESHOLD, trim_bytes);
}

#endif
