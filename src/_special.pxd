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

# CDF special functions with derivatives in their shape arguments
# (src/_special_cdf.h; the contract of each is documented there).  Pass
# NULL for d to get the value only.
cdef extern from "_special_cdf.h" nogil:
    double fm_ndtr(double x) noexcept
    double fm_log_ndtr(double x) noexcept
    double fm_ndtr_ratio(double x) noexcept
    double fm_owens_t(double h, double a) noexcept
    double fm_log_ndtr_derivs(double x, double* d) noexcept
    double fm_log_gammainc(double a, double x, int upper, double* d) noexcept
    double fm_log_betainc(double a, double b, double x, int upper, double* d) noexcept
    double fm_log_vonmises_cdf(double kappa, double x, int upper, double* d) noexcept
    double fm_log_diff_exp(double hi, double lo, int n, const double* g_hi, const double* g_lo,
                           const double* h_hi, const double* h_lo, double* g, double* h) noexcept
