"""R's default random stream: ``set.seed`` + Mersenne-Twister + normals by inversion.

``phe_sii`` simulates its confidence limits with ``rnorm`` after the caller's
``set.seed``; reproducing that stream lets tripleaim give the same limits as the
reference, draw for draw. The generator core is numpy's MT19937 (the same algorithm
as R's ``MT_genrand``); only R's seeding scramble, its ``fixup`` of 0 and 1 and its
inversion method (two uniforms per normal, ``BIG = 2^27``) are written here.

References:
    Matsumoto M, Nishimura T. Mersenne Twister: a 623-dimensionally equidistributed
    uniform pseudo-random number generator. ACM TOMACS 1998;8:3-30.
    https://doi.org/10.1145/272991.272995
    R Core Team. R 4.2.2 sources ``src/main/RNG.c`` (``RNG_Init``, ``MT_genrand``,
    ``fixup``) and ``src/nmath/snorm.c`` (``INVERSION``).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from tripleaim.indicators.methods.r_numerics import qnorm

_MASK32 = 0xFFFFFFFF
_MT_WORDS = 624
_TWO_POW_MINUS_32 = 2.3283064365386963e-10
_I2_32M1 = 2.328306437080797e-10
_BIG = 134217728.0


def _seed_words(seed: int) -> npt.NDArray[np.uint32]:
    """The 624 state words R's ``set.seed(seed)`` gives the Mersenne-Twister."""
    s = seed & _MASK32
    for _ in range(50):
        s = (69069 * s + 1) & _MASK32
    words = np.empty(_MT_WORDS + 1, dtype=np.uint32)
    for j in range(_MT_WORDS + 1):
        s = (69069 * s + 1) & _MASK32
        words[j] = s
    return words[1:]


class RRandomStream:
    """A stream of R-compatible draws, as after ``set.seed(seed)`` in R (default kinds).

    Args:
        seed: The integer passed to R's ``set.seed``.
    """

    def __init__(self, seed: int) -> None:
        self._bits = np.random.MT19937()
        self._bits.state = {
            "bit_generator": "MT19937",
            "state": {"key": _seed_words(seed), "pos": _MT_WORDS},
        }

    def uniform(self, size: int) -> npt.NDArray[np.float64]:
        """``runif(size)``: uniforms in (0, 1), 0 and 1 replaced as R's ``fixup`` does."""
        raw = self._bits.random_raw(size).astype(np.float64)
        u = raw * _TWO_POW_MINUS_32
        u[u <= 0.0] = 0.5 * _I2_32M1
        u[(1.0 - u) <= 0.0] = 1.0 - 0.5 * _I2_32M1
        return u

    def normal(
        self,
        size: int,
        mean: npt.ArrayLike = 0.0,
        sd: npt.ArrayLike = 1.0,
    ) -> npt.NDArray[np.float64]:
        """``rnorm(size, mean, sd)``, recycling ``mean`` and ``sd`` as R does.

        Each normal uses two uniforms: ``u = (int)(BIG * u1) + u2``, then
        ``qnorm(u / BIG)`` (R's INVERSION kind).
        """
        pairs = self.uniform(2 * size).reshape(size, 2)
        u = np.floor(_BIG * pairs[:, 0]) + pairs[:, 1]
        z = qnorm(u / _BIG)
        means = np.resize(np.asarray(mean, dtype=np.float64), size)
        sds = np.resize(np.asarray(sd, dtype=np.float64), size)
        return means + sds * z
