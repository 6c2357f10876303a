from __future__ import annotations

import bilat


def test_exported_members() -> None:
    """The top-level surface is exactly what we mean to export."""
    assert set(bilat.__all__) == {"BilatError", "Lake", "__version__"}
    for name in bilat.__all__:
        assert hasattr(bilat, name)
