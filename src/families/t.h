/* Student's t, shape df = nu (M = 1), P = [nu, 1/nu].
 * log g(z) = c(nu) - (nu + 1)/2 log(1 + z^2/nu); c(nu) is added in Python.
 *
 * The df-derivative  -L/2 + (nu + 1) u / 2  (L = log1p(y), y = z^2/nu,
 * u = y / (nu (1 + y))) is a difference of two terms of order y that agree
 * to order y^2: for large nu (the data look normal and the df MLE runs off
 * towards infinity) it would lose all its digits.  It is written as
 *     (y / (nu (1 + y)) - f(y)) / 2,   f(y) = log1p(y) - y / (1 + y),
 * with f from its series sum_{k>=2} (-1)^k (k-1)/k y^k for small y. */
/* (-1)^k (k-1)/k for k = 16, 15, ..., 2 (Horner order) */
static const double FM_T_F_COEF[15] = {
    15.0 / 16, -14.0 / 15, 13.0 / 14, -12.0 / 13, 11.0 / 12, -10.0 / 11, 9.0 / 10, -8.0 / 9,
    7.0 / 8, -6.0 / 7, 5.0 / 6, -4.0 / 5, 3.0 / 4, -2.0 / 3, 1.0 / 2};

/* f(y) for 0 <= y < 0.05: Horner over k = 16..2; the k = 17 term is
 * below 1e-17 f(y) */
static inline double fm_t_log1p_minus(double y) {
    double s = 0.0;
    int k;
    for (k = 0; k < 15; ++k) s = s * y + FM_T_F_COEF[k];
    return s * y * y;
}

/* Everything but the logarithm: L = log(1 + z^2/nu) is given (the
 * vectorized block in vec_m0.h computes it for a whole buffer at once). */
static inline double t_obs_given_log(double z, double L, const double* P, double* g, double* h) {
    const double nu = P[0], inv_nu = P[1];
    const double z2 = z * z;
    const double y = z2 * inv_nu;
    const double iopy = 1.0 / (1.0 + y);         /* nu / d, d = nu + z^2 */
    const double id = iopy * inv_nu;             /* 1 / d */
    const double yid = y * id;                   /* u = z^2 / (nu d) = -dL/dnu */
    const double du = -y * (2.0 + y) * id * id; /* du/dnu = -z^2 (nu + d) / (nu d)^2 */
    const double f = y < 0.05 ? fm_t_log1p_minus(y) : L - y * iopy;
    g[0] = 0.5 * (yid - f);
    g[1] = -(nu + 1.0) * z * id;
    h[0] = yid + 0.5 * (nu + 1.0) * du;
    h[1] = z * (1.0 - z2) * id * id;
    h[2] = -(nu + 1.0) * (nu - z2) * id * id;
    return -0.5 * (nu + 1.0) * L;
}

/* log(1 + y) is accurate to 1.2e-16 absolute and ~3x faster than log1p;
 * the log-likelihood multiplies it by (nu + 1)/2, so large nu (the normal
 * limit) needs log1p's relative accuracy. */
#define FM_T_LOG1P_NU 64.0

static inline double t_obs(double z, const double* P, double* g, double* h) {
    /* P = [nu, 1/nu]: one division per observation instead of six */
    const double y = z * z * P[1];
    const double L = P[0] < FM_T_LOG1P_NU ? log(1.0 + y) : log1p(y);
    return t_obs_given_log(z, L, P, g, h);
}

/* -- cdf (see _natural_loop.h) -------------------------------------------------
 * P = [nu, 1/nu, c0, c1] here: t's _natural_map appends c0 = log f(0) (the
 * z-free constant of the log density) and c1 = dc0/dnu.
 *
 * With d = nu + z^2, x = nu/d and y = z^2/d (each formed without
 * cancellation), the tail beyond |z| is
 *     T = P(Z > |z|) = I_x(nu/2, 1/2) / 2 = (1 - I_y(1/2, nu/2)) / 2,
 * and the other side is 1 - T = (1 + I_{1-x}...)/2 >= 1/2.  The incomplete
 * beta is called at the smaller of x and y (at x near 1 its argument would
 * carry only the absolute accuracy of 1 - y).  The small side (log F for
 * z < 0, log S for z > 0) is log T; the large side is log1p(-T), accurate
 * since T <= 1/2.
 *
 * Only the nu-derivatives come from the incomplete beta (chain rule through
 * its shape argument and through x or y).  The z-derivatives come from the
 * density: d log F/dz = f(z)/F, and from it
 *     d2/dz2 = g_z (dlog f/dz - g_z),  d2/dnu dz = g_z (dlog f/dnu - g_nu),
 * which is exact where the chain rule through y ~ z^2 would cancel (small z).
 *
 * For nu >= 2000 near the centre (z^4 <= 0.04 nu) an expansion about the
 * normal cdf replaces the incomplete beta (fm_t_lcdf_normal_limit).
 * Edges: |z| < 1e-100 is z = 0 (F = S = 1/2 to double precision); where
 * x < 1e-280 (|z| beyond ~1e140 sqrt(nu)) the incomplete beta's leading
 * term I_x(a, b) = x^a / (a B(a, b)) (relative error O(x)) is used with
 * log x = log nu - log d, so log T stays finite where x underflows. */
#define FM_T_LOG_HALF (-0.6931471805599453)

/* Large df: the expansion of the t cdf about the normal one,
 *     F(s) = Phi(s) - phi(s) sum_{k=1..6} g_k(s) / nu^k,
 * g_k odd polynomials of degree 4k - 1 (g_1 = (s + s^3)/4, as A&S 26.7.5);
 * derived from f_nu(s) / phi(s) = exp(log(c_nu sqrt(2 pi))
 * - (nu + 1)/2 log1p(s^2/nu) + s^2/2) expanded in 1/nu and integrated
 * term by term (int phi s^n = -phi s^(n-1) + (n-1) int phi s^(n-2); the
 * Phi parts vanish).  The correction adds to the tail on both sides (no
 * cancellation).  Its terms shrink like (s^4 / (4 nu))^k / k!, so it is
 * used for nu >= 2000 and s^4 <= 0.04 nu, where the first term left off is
 * below ~1e-18 relative; there the incomplete beta would need ~sqrt(nu)
 * continued-fraction steps (df up to 1e12, the normal limit of a t fit).
 * FM_T_ASY[k - 1][i] is the coefficient of s^(2i + 1) in g_k. */
#define FM_T_ASY_NU 2000.0
static const double FM_T_ASY[6][12] = {
    {0.25, 0.25, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0},  /* g_1 */
    {-0.03125, -0.052083333333333336, -0.072916666666666671, 0.03125, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0},  /* g_2 */
    {-0.0390625, -0.0078125, 0.015625, 0.036458333333333336, -0.028645833333333332, 0.0026041666666666665, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0},  /* g_3 */
    {0.01025390625, 0.0099283854166666661, -0.0023111979166666667, -0.010188802083333334, -0.023231336805555555, 0.024142795138888888, -0.004069010416666667, 0.00016276041666666666, 0.0, 0.0, 0.0, 0.0},  /* g_4 */
    {0.0487060546875, 0.0145263671875, 0.00048828125, 0.0030924479166666665, 0.006754557291666667, 0.016259765624999999, -0.02038845486111111, 0.0047851562500000003, -0.0003607855902777778, 8.1380208333333332e-06, 0.0, 0.0},  /* g_5 */
    {-0.0132598876953125, -0.012537638346354166, 0.00069681803385416663, 0.0014161609468005952, -0.0020676062851355819, -0.0047164028914517195, -0.012128396009011243, 0.017425386405285494, -0.0050918767481674381, 0.00054423014322916663, -2.3396809895833335e-05, 3.390842013888889e-07},  /* g_6 */
};

/* log F(s) of t(nu) by the expansion, with d/dnu and d2/dnu2 */
static inline double fm_t_lcdf_normal_limit(double s, double nu, double* l1, double* l2) {
    const double w = s * s, e = 1.0 / nu;
    double G = 0.0, G1 = 0.0, G2 = 0.0, ek = e;
    double r, u, iu;
    int k, i;
    for (k = 1; k <= 6; ++k, ek *= e) {
        double p = 0.0, gk;
        for (i = 2 * k - 1; i >= 0; --i) p = p * w + FM_T_ASY[k - 1][i];
        gk = s * p * ek;                  /* g_k / nu^k */
        G += gk;
        G1 -= k * gk * e;                 /* d/dnu nu^-k = -k nu^-(k+1) */
        G2 += k * (k + 1) * gk * e * e;
    }
    r = fm_ndtr_ratio(s);                 /* phi / Phi */
    u = r * G;
    iu = 1.0 / (1.0 - u);
    *l1 = -r * G1 * iu;
    *l2 = -r * G2 * iu - (*l1) * (*l1);
    return fm_log_ndtr(s) + log1p(-u);
}

static inline double t_lcdf(double z, const double* P, int upper, double* g, double* h) {
    const double nu = P[0];
    const int small_side = (z < 0.0) != (upper != 0);
    double lv, gnu, hnunu;     /* the log probability and its nu-derivatives */
    double tg[2], th[3], lk, gz, az;
    if (isinf(z)) {
        g[0] = g[1] = h[0] = h[1] = h[2] = 0.0;
        return small_side ? -INFINITY : 0.0;
    }
    az = fabs(z);
    if (nu >= FM_T_ASY_NU && z * z * z * z <= 0.04 * nu) {
        lv = fm_t_lcdf_normal_limit(upper ? -z : z, nu, &gnu, &hnunu);
    } else if (az < 1e-100) {
        lv = FM_T_LOG_HALF;
        gnu = hnunu = 0.0;
    } else {
        const double z2 = z * z;     /* inf beyond 1e154: then x = 0, y = 1 */
        const double d = nu + z2;
        const double x = nu / d, y = az < 1e150 ? z2 / d : 1.0;
        double L, l1, l2;            /* log T with d/dnu, d2/dnu2 */
        if (x < 1e-280) {
            /* I_x(a, 1/2) = x^a / (a B(a, 1/2)) (1 + O(x)), a = nu/2 */
            const double a = 0.5 * nu;
            const double logd = az < 1e150 ? log(d) : 2.0 * log(az) + log1p(nu / z2);
            const double lx = log(nu) - logd;
            const double lx1 = 1.0 / nu - (az < 1e150 ? 1.0 / d : 0.0);
            const double lx2 = -1.0 / (nu * nu) + (az < 1e150 ? 1.0 / (d * d) : 0.0);
            L = FM_T_LOG_HALF + a * lx - log(a) - fm_lgamma(a) - 0.5723649429247001 + fm_lgamma(a + 0.5);
            l1 = 0.5 * lx + a * lx1 - 0.5 / a - 0.5 * (fm_digamma(a) - fm_digamma(a + 0.5));
            l2 = lx1 + a * lx2 + 0.25 / (a * a) - 0.25 * (fm_trigamma(a) - fm_trigamma(a + 0.5));
        } else {
            double bd[9];
            double u1, u2, Ls, Lu, Lss, Lsu, Luu;   /* s: the shape argument nu/2, u: x or y */
            if (x <= y) {             /* T = I_x(nu/2, 1/2) / 2 */
                L = fm_log_betainc(0.5 * nu, 0.5, x, 0, bd);
                Ls = bd[0]; Lu = bd[2]; Lss = bd[3]; Lsu = bd[5]; Luu = bd[8];
                u1 = y / d;           /* dx/dnu = z^2/d^2 */
                u2 = -2.0 * y / (d * d);
            } else {                  /* T = (1 - I_y(1/2, nu/2)) / 2 */
                L = fm_log_betainc(0.5, 0.5 * nu, y, 1, bd);
                Ls = bd[1]; Lu = bd[2]; Lss = bd[6]; Lsu = bd[7]; Luu = bd[8];
                u1 = -y / d;
                u2 = 2.0 * y / (d * d);
            }
            L += FM_T_LOG_HALF;
            l1 = 0.5 * Ls + Lu * u1;
            l2 = 0.25 * Lss + Lsu * u1 + Luu * u1 * u1 + Lu * u2;
        }
        if (small_side) {
            lv = L;
            gnu = l1;
            hnunu = l2;
        } else {                      /* log(1 - T), T <= 1/2 */
            const double q = exp(L), iq = 1.0 / (1.0 - q);
            lv = log1p(-q);
            gnu = -q * l1 * iq;
            hnunu = -q * (l2 + l1 * l1) * iq - gnu * gnu;
        }
    }
    if (lv == -INFINITY) {
        g[0] = g[1] = h[0] = h[1] = h[2] = 0.0;
        return lv;
    }
    lk = t_obs(z, P, tg, th);         /* log f(z) - c0 with d/dnu, d/dz */
    gz = exp(P[2] + lk - lv);         /* f / F or f / S */
    if (upper) gz = -gz;
    g[0] = gnu;
    g[1] = gz;
    h[0] = hnunu;
    h[1] = gz * (P[3] + tg[0] - gnu);
    h[2] = gz * (tg[1] - gz);
    return lv;
}
