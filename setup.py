"""Build the compiled layer: one Cython extension per kernel file in src/.

OpenMP flags come from a small per-platform table (the glum pattern).  If the
compiler cannot build an OpenMP program the extensions are built without it;
``prange`` loops then run serially and ``fastmle.show_config()`` says so.
"""
import glob
import os
import sys
import tempfile
import textwrap

import numpy as np
from Cython.Build import cythonize
from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

# (compile flags, link flags) per platform.
OPENMP_FLAGS = {
    "linux": (["-fopenmp"], ["-fopenmp"]),
    "darwin": (["-Xpreprocessor", "-fopenmp"], ["-lomp"]),
    "win32": (["/openmp"], []),
}
# -ffp-contract=off: no a * b + c fused into an FMA behind the code's back, so
# a sum has the same bits on every instruction set (see src/_lane_sums.h).
OPTIMIZE_FLAGS = {
    "linux": ["-O3", "-ffp-contract=off"],
    "darwin": ["-O3", "-ffp-contract=off"],
    "win32": ["/O2"],
}

# Kernel modules: fastmle._<name> built from src/_<name>.pyx.
KERNELS = ["_special", "_scan", "_norm", "_expon", "_gamma", "_lognorm", "_weibull", "_poisson", "_families",
           "_onesided", "_beta", "_range", "_glm"]


def _platform():
    if sys.platform.startswith("linux"):
        return "linux"
    return sys.platform if sys.platform in OPENMP_FLAGS else "linux"


def _openmp_works(compiler, compile_flags, link_flags):
    """Compile and link a tiny OpenMP program; False if either step fails."""
    if os.environ.get("FASTMLE_NO_OPENMP"):
        return False
    src = textwrap.dedent(
        """
        #include <omp.h>
        int main(void) {
            int n = 0;
            #pragma omp parallel reduction(+:n)
            n += 1;
            return omp_get_max_threads() > 0 && n > 0 ? 0 : 1;
        }
        """
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "omp_check.c")
        with open(path, "w") as f:
            f.write(src)
        try:
            objs = compiler.compile([path], output_dir=tmp, extra_postargs=compile_flags)
            compiler.link_executable(objs, "omp_check", output_dir=tmp, extra_postargs=link_flags)
        except Exception:  # any compiler/linker failure means "no OpenMP"
            return False
    return True


class BuildExtWithOpenMP(build_ext):
    def build_extensions(self):
        plat = _platform()
        cflags, lflags = OPENMP_FLAGS[plat]
        use_openmp = _openmp_works(self.compiler, cflags, lflags)
        if not use_openmp:
            print(
                "fastmle: WARNING: OpenMP is unavailable (the compiler cannot build an OpenMP "
                "program) or disabled (FASTMLE_NO_OPENMP); building serial kernels "
                "(fastmle.show_config() will report it).",
                file=sys.stderr,
            )
        for ext in self.extensions:
            ext.extra_compile_args = OPTIMIZE_FLAGS[plat] + (cflags if use_openmp else [])
            ext.extra_link_args = list(lflags) if use_openmp else []
        super().build_extensions()


# Bounds checking can be switched back on for debugging: FASTMLE_DEBUG=1 pip install .
_debug = bool(os.environ.get("FASTMLE_DEBUG"))
COMPILER_DIRECTIVES = {
    "language_level": 3,
    "boundscheck": _debug,
    "wraparound": False,
    "cdivision": True,
    "initializedcheck": _debug,
    "nonecheck": False,
    "cpow": True,
}

extensions = [
    Extension(
        f"fastmle.{name}",
        [os.path.join("src", f"{name}.pyx")],
        include_dirs=["src", np.get_include()],
        define_macros=[("NPY_NO_DEPRECATED_API", "NPY_1_7_API_VERSION")],
        # C headers are not tracked by cythonize: rebuild when any changes
        depends=sorted(glob.glob(os.path.join("src", "*.h")) + glob.glob(os.path.join("src", "families", "*.h"))),
    )
    for name in KERNELS
]

setup(
    ext_modules=cythonize(
        extensions,
        compiler_directives=COMPILER_DIRECTIVES,
        include_path=["src"],
        nthreads=int(os.environ.get("FASTMLE_BUILD_JOBS", os.cpu_count() or 1)),
    ),
    cmdclass={"build_ext": BuildExtWithOpenMP},
)
