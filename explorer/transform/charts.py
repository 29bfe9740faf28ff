"""Plotly figures the pages share (world map, quadrant scatter). Pure: data in, figure out."""
from __future__ import annotations

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go


def world_map(frame: pd.DataFrame, value: str, title: str) -> go.Figure:
    # ISO-3 codes are plotly's default location mode; the country shapes load from plotly's CDN
    fig = px.choropleth(frame, locations="country", color=value, color_continuous_scale="YlOrRd",
                        hover_name="country", title=title)
    fig.update_layout(height=460, margin={"l": 0, "r": 0, "t": 40, "b": 0},
                      geo={"showframe": False, "projection": {"type": "natural earth"}})
    return fig


def key_sector_scatter(frame: pd.DataFrame) -> go.Figure:
    """Backward vs forward linkage with the mean (1.0) lines: top right are key sectors."""
    fig = px.scatter(frame, x="backward_linkage", y="forward_linkage", size="output", color="country",
                     hover_name="sector", size_max=40, title="Backward vs forward linkage (key sectors: both > 1)")
    fig.add_hline(y=1.0, line_dash="dot", line_color="grey")
    fig.add_vline(x=1.0, line_dash="dot", line_color="grey")
    fig.update_layout(height=460, margin={"l": 10, "r": 10, "t": 40, "b": 10})
    return fig
