"""The badge every page shows when some loaded data is synthetic (Dataset.synthetic)."""
from __future__ import annotations

import streamlit as st

from explorer.data import overview


def synthetic_badge() -> None:
    synthetic = sorted(overview.synthetic_sources())
    if synthetic:
        st.sidebar.warning(f"SYNTHETIC DATA loaded: {', '.join(synthetic)}. Figures from these sources are "
                           "generated, not observed.", icon="⚠️")
