"""bilat: the evidence behind a bilateral economic relationship, in one place.

>>> from bilat import Lake                                     # doctest: +SKIP
>>> from bilat.trade import Dyad                               # doctest: +SKIP
>>> Dyad(Lake.open(), "BLR", "KAZ").summary(2021)              # doctest: +SKIP
"""

from __future__ import annotations

from bilat.errors import BilatError
from bilat.lake import Lake

__all__ = ["BilatError", "Lake", "__version__"]

__version__ = "0.1.0.dev0"
