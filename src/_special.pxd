# Declarations of the C special functions in _special.h, for nogil kernels:
#
#     from _special cimport fm_lgamma, fm_digamma
#
# Only the header is needed at run time (everything is static inline), so
# cimporting these does not import the fastmle._special module.
cdef extern from "_special.h" nogil:
    double fm_lgamma(double x) noexcept
    double fm_digamma(double x) noexcept
    double fm_log_minus_digamma(double x) noexcept
    double fm_trigamma(double x) noexcept
    double fm_log1pexp(double x) noexcept
    double fm_xlogy(double x, double y) noexcept
