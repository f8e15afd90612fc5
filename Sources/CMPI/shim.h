// Open MPI handles are macros that Swift cannot import; these one-liners expose them.
#ifndef VBFGRID_CMPI_SHIM_H
#define VBFGRID_CMPI_SHIM_H
#include <mpi.h>

static inline MPI_Comm _Nonnull cmpi_comm_world(void) { return MPI_COMM_WORLD; }
static inline MPI_Comm _Nonnull cmpi_comm_self(void) { return MPI_COMM_SELF; }
static inline MPI_Comm _Nonnull cmpi_comm_null(void) { return MPI_COMM_NULL; }
static inline MPI_Datatype _Nonnull cmpi_float(void) { return MPI_FLOAT; }
static inline MPI_Datatype _Nonnull cmpi_double(void) { return MPI_DOUBLE; }
static inline MPI_Datatype _Nonnull cmpi_int64(void) { return MPI_INT64_T; }
static inline MPI_Datatype _Nonnull cmpi_int32(void) { return MPI_INT32_T; }
static inline MPI_Datatype _Nonnull cmpi_byte(void) { return MPI_BYTE; }
static inline MPI_Op _Nonnull cmpi_op_sum(void) { return MPI_SUM; }
static inline MPI_Op _Nonnull cmpi_op_max(void) { return MPI_MAX; }
static inline MPI_Op _Nonnull cmpi_op_min(void) { return MPI_MIN; }
static inline MPI_Info _Nonnull cmpi_info_null(void) { return MPI_INFO_NULL; }
static inline void * _Nonnull cmpi_in_place(void) { return MPI_IN_PLACE; }
static inline MPI_Status * _Nullable cmpi_status_ignore(void) { return MPI_STATUS_IGNORE; }
static inline MPI_Request _Nonnull cmpi_request_null(void) { return MPI_REQUEST_NULL; }
static inline int cmpi_any_source(void) { return MPI_ANY_SOURCE; }
static inline int cmpi_any_tag(void) { return MPI_ANY_TAG; }
static inline int cmpi_status_source(const MPI_Status * _Nonnull s) { return s->MPI_SOURCE; }
static inline int cmpi_status_tag(const MPI_Status * _Nonnull s) { return s->MPI_TAG; }

#endif
