#ifndef VBFGRID_COPENBLAS_SHIM_H
#define VBFGRID_COPENBLAS_SHIM_H
#include <cblas.h>
#endif
