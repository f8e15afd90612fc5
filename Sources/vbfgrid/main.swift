import BLAS
print(BLAS.coreName)
