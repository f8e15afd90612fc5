// oneDNN (Debian libdnnl-dev 2.6) for the CNN convolutions. Debian ships no pkg-config file, so
// the module map names the libraries itself; the macros Swift cannot import are wrapped here.
#include <oneapi/dnnl/dnnl.h>
#include <oneapi/dnnl/dnnl_debug.h>

/// A memory object's handle: none yet (set one with dnnl_memory_set_data_handle before use).
static inline void * _Nullable cdnnl_memory_none(void) { return DNNL_MEMORY_NONE; }

/// A memory object's handle: let the library allocate the buffer.
static inline void * _Nonnull cdnnl_memory_allocate(void) { return DNNL_MEMORY_ALLOCATE; }

// oneDNN's CPU runtime is GNU OpenMP; 2.6 has no API of its own for the thread count. GCC's
// omp.h is not on clang's path, so the two calls are declared here (libgomp exports them).
int omp_get_max_threads(void);
void omp_set_num_threads(int n);
