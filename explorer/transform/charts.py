"""Every chart of the explorer goes through here, so that each one can go into a paper as it is.

A figure leaves this module with a title, axis titles with units, a legend (or colour bar) title
when it has a legend, and a source line under the title: the datasets read (key, name, synthetic
flag), their years and the module that computed the numbers. ``finish`` adds them and refuses a
figure that lacks any (``problems`` says which); the builders below (bars, scatter, world and
province maps, Sankey) all end in ``finish``. ``config`` is the plotly config every chart is shown
with: the camera button saves PNG at 3x or SVG, and world maps read their country shapes from the
app's own static files instead of plotly's CDN.

Where the numbers come from is a ``Source``: from the result's ``df.attrs["provenance"]`` (the
runner's record of the datasets, years and money units of a run) when it has one, otherwise from
what the page knows (the year it asked for, the datasets holding that kind of record).
Pure: data in, figures and dicts out.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

PNG_SCALE = 3  # the camera button's PNG: 3x the chart's size on screen
FORMATS = ("png", "svg")
MISSING_COLOUR = "#d9d9d9"
# words column names abbreviate, written out in titles
_WORDS = {"pagerank": "PageRank", "fdi": "FDI", "dva": "DVA", "fva": "FVA", "sme": "SME", "tnc": "TNC",
          "va": "VA", "coef": "coefficient", "iso3": "ISO3"}
# units that name what a column is rather than a quantity: no "(unit)" after the title
_NOT_QUANTITIES = {"", "-", "key", "name", "text", "code", "iso3", "rank", "year", "list of keys", "industry key",
                   "dataset key", "name/key"}


@dataclass(frozen=True)
class Dataset:
    key: str
    name: str = ""
    synthetic: bool | None = None
    years: tuple[int, ...] = ()

    def text(self, short: bool = True) -> str:
        """'KEY (name, SYNTHETIC)'; ``short``: a long name is cut at 48 characters (a chart's one line)."""
        if not self.key:  # records that name no dataset (hand-written data)
            return "records without a dataset"
        name = self.name if self.name and self.name != self.key else ""
        if short and len(name) > 48:
            name = name[:47].rstrip() + "…"
        flag = ", SYNTHETIC" if self.synthetic else ""
        return f"{self.key} ({name}{flag})" if name else f"{self.key}{' (SYNTHETIC)' if self.synthetic else ''}"


@dataclass(frozen=True)
class Source:
    """Where a result's numbers come from: datasets, years, units per column, the module."""
    datasets: tuple[Dataset, ...] = ()
    years: tuple[int, ...] = ()
    units: Mapping[str, str] = field(default_factory=dict)
    module: str = ""

    def unit(self, column: str) -> str:
        return self.units.get(column, "")

    def years_text(self) -> str:
        return years_text(self.years)

    def line(self) -> str:
        """'Source: KEY (name, SYNTHETIC); 2020; module region-profile' (one line, for a chart)."""
        parts = ["; ".join(d.text() for d in self.datasets) or "datasets not recorded"]
        parts.append(self.years_text() if self.years else "year not recorded")
        if self.module:
            parts.append(f"module {self.module}")
        return "Source: " + "; ".join(parts)


def years_text(years: Iterable[int]) -> str:
    ys = sorted({int(y) for y in years})
    if not ys:
        return ""
    if len(ys) > 2 and ys == list(range(ys[0], ys[-1] + 1)):
        return f"{ys[0]}–{ys[-1]}"
    return ", ".join(str(y) for y in ys)


def source_of(result: pd.DataFrame | None, *, module: str = "", column_units: Mapping[str, str] | None = None,
              fallback_datasets: Sequence[Mapping[str, Any]] = (), fallback_years: Iterable[int] = (),
              page_units: Mapping[str, str] | None = None) -> Source:
    """The Source of a module result.

    Units: the module's column units, then the run's own (provenance: e.g. the table's currency),
    then what the page knows better (e.g. strength in the weight it chose). Datasets and years: the
    provenance's when the result has one, else ``fallback_datasets`` (dicts with key, name,
    synthetic, years) and ``fallback_years``.
    """
    prov = (result.attrs.get("provenance") if result is not None else None) or {}
    units = {**(column_units or {}), **(prov.get("units") or {}), **(page_units or {})}
    found = prov.get("datasets")
    rows = found if found is not None else fallback_datasets
    datasets = tuple(Dataset(str(d.get("key") or ""), str(d.get("name") or ""), d.get("synthetic"),
                             tuple(int(y) for y in (d.get("years") or ()) if y is not None)) for d in rows)
    if found is not None:
        years = prov.get("years") or [y for d in datasets for y in d.years]
    else:
        years = list(fallback_years) or [y for d in datasets for y in d.years]
    return Source(datasets, tuple(sorted({int(y) for y in years if y is not None})), units, module)


def nice(column: str) -> str:
    """A column name as a title: 'foreign_output_share' -> 'Foreign output share', 'pagerank' -> 'PageRank'."""
    words = [_WORDS.get(w, w) for w in str(column).split("_")]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def is_quantity(unit: str) -> bool:
    """False for units that say what a column is (a key, a name, a year) or list its values (a|b|c)."""
    return unit.strip().lower() not in _NOT_QUANTITIES and "|" not in unit


def label(column: str, unit: str = "", title: str | None = None) -> str:
    """'Output (thousand USD)': the column's title with its unit when the unit is a quantity's."""
    text = title or nice(column)
    return f"{text} ({unit})" if unit and is_quantity(unit) else text


def display_names(keys: Sequence[str], names: Sequence[Any]) -> list[str]:
    """Names for bars and tables instead of keys; a name two keys share gets its key added."""
    shown = [str(n) if isinstance(n, str) and n.strip() else str(k) for k, n in zip(keys, names)]
    seen = pd.Series(shown).duplicated(keep=False).tolist()
    return [f"{s} ({k})" if dup and s != str(k) else s for s, k, dup in zip(shown, keys, seen)]


# --------------------------------------------------------------------------- finishing and checking

def finish(fig: go.Figure, *, title: str, source: Source, x: str | None = None, y: str | None = None,
           legend: str | None = None, colour: str | None = None, height: int | None = None,
           credit: str = "") -> go.Figure:
    """Title, source line (and ``credit``, e.g. the boundaries' attribution), axis titles (automargin:
    long labels are never cut), legend and colour-bar titles."""
    line = source.line() + (f"; {credit}" if credit else "")
    fig.update_layout(
        title={"text": title, "x": 0.0, "xanchor": "left", "subtitle": {"text": line}},
        margin={"l": 10, "r": 10, "t": 78, "b": 10},
        # the exported file has its own white background whatever the app's theme
        paper_bgcolor="white", plot_bgcolor="white",
    )
    if height:
        fig.update_layout(height=height)
    # full numbers with thousands separators: plotly's SI suffixes would print "600M" on an axis
    # that is already in million USD
    plain = {"exponentformat": "none", "separatethousands": True}
    fig.update_xaxes(**plain)
    fig.update_yaxes(**plain)
    if x is not None:
        fig.update_xaxes(title_text=x, automargin=True)
    if y is not None:
        fig.update_yaxes(title_text=y, automargin=True)
    if legend is not None:
        fig.update_layout(legend_title_text=legend)
    if colour is not None:
        # a colour bar is narrow: the unit goes on its own line
        colour = colour.replace(" (", "<br>(", 1)
        if "coloraxis" in fig.layout and fig.layout.coloraxis.colorscale is not None:
            fig.update_layout(coloraxis_colorbar={"title": {"text": colour}, **plain})
        for trace in fig.data:
            if "colorbar" in trace and getattr(trace, "showscale", None) is not False:
                trace.colorbar.update(title={"text": colour}, **plain)
    wrong = problems(fig)
    if wrong:
        raise ValueError(f"chart {title!r} is not ready to publish: {'; '.join(wrong)}")
    return fig


def _shows_legend(spec: dict[str, Any]) -> bool:
    layout, traces = spec.get("layout", {}), spec.get("data", [])
    if layout.get("showlegend") is False:
        return False
    # plotly shows a legend for two or more traces that may show one, or any trace that asks for it
    legend_traces = [t for t in traces if t.get("showlegend") is not False
                     and t.get("type", "scatter") in ("bar", "scatter", "scattergl", "box", "histogram")]
    return len(legend_traces) > 1 or any(t.get("showlegend") is True for t in traces)


def _colour_scales(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """The colour bars a figure draws: its coloraxes' and those of traces that show a scale."""
    layout = spec.get("layout", {})
    bars = [v.get("colorbar", {}) for k, v in layout.items() if k.startswith("coloraxis") and isinstance(v, dict)
            and v.get("showscale") is not False]
    for t in spec.get("data", []):
        if t.get("type") in ("choropleth", "heatmap", "contour") and t.get("showscale") is not False \
                and "coloraxis" not in t:
            bars.append(t.get("colorbar", {}))
        marker = t.get("marker") or {}
        if marker.get("showscale") is True:
            bars.append(marker.get("colorbar", {}))
    return bars


def _text(node: Any) -> str:
    if isinstance(node, dict):
        return str(node.get("text") or "")
    return str(node or "")


def problems(fig: go.Figure | dict[str, Any]) -> list[str]:
    """What a figure lacks before it can be published: title, source line, axis titles with units on
    value axes, legend title, colour-bar title. Empty when nothing is missing."""
    spec = fig.to_plotly_json() if isinstance(fig, go.Figure) else fig
    layout, traces = spec.get("layout", {}), spec.get("data", [])
    out = []
    title = layout.get("title") or {}
    if not _text(title).strip():
        out.append("no title")
    if not _text(title.get("subtitle") if isinstance(title, dict) else None).startswith("Source: "):
        out.append("no source line (title.subtitle 'Source: ...')")
    for t in traces:
        kind = t.get("type", "scatter")
        if kind not in ("bar", "scatter", "scattergl"):
            continue
        xa = "xaxis" + str(t.get("xaxis", "x"))[1:]
        ya = "yaxis" + str(t.get("yaxis", "y"))[1:]
        value_axes = [xa] if kind == "bar" and t.get("orientation") == "h" else \
            [ya] if kind == "bar" else [xa, ya]
        for axis in (xa, ya):
            text = _text((layout.get(axis) or {}).get("title"))
            if not text.strip():
                out.append(f"{axis} has no title")
            elif axis in value_axes and "(" not in text:
                out.append(f"{axis} title {text!r} has no unit in parentheses")
    if _shows_legend(spec) and not _text((layout.get("legend") or {}).get("title")).strip():
        out.append("the legend has no title")
    for bar in _colour_scales(spec):
        if not _text(bar.get("title")).strip():
            out.append("a colour bar has no title")
    return sorted(set(out))


def config(filename: str, fmt: str = "png", topojson_url: str | None = None) -> dict[str, Any]:
    """The plotly config of a chart: the camera button saves ``fmt`` (PNG at 3x, or SVG) under
    ``filename``; maps read their TopoJSON from ``topojson_url``."""
    if fmt not in FORMATS:
        raise ValueError(f"image format {fmt!r}; allowed: {', '.join(FORMATS)}")
    safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in filename).strip("-") or "chart"
    out: dict[str, Any] = {"displaylogo": False,
                           "toImageButtonOptions": {"format": fmt, "filename": safe,
                                                    "scale": PNG_SCALE if fmt == "png" else 1}}
    if topojson_url:
        out["topojsonURL"] = topojson_url
    return out


# --------------------------------------------------------------------------- builders

def bar(frame: pd.DataFrame, category: str, value: str, *, title: str, source: Source, category_title: str,
        value_title: str, colour: str | None = None, legend: str | None = None, horizontal: bool = True,
        hover: Sequence[str] = (), stacked: bool = False) -> go.Figure:
    """Bars of ``value`` per ``category`` (horizontal: largest on top, labels never cut)."""
    kw = dict(x=value, y=category, orientation="h") if horizontal else dict(x=category, y=value)
    fig = px.bar(frame, color=colour, hover_data=list(hover) or None, barmode="stack" if stacked else "relative",
                 labels={value: value_title, category: category_title, **({colour: legend} if colour else {})}, **kw)
    n = frame[category].nunique() if len(frame) else 0
    if horizontal:
        fig.update_yaxes(categoryorder="total ascending", type="category")
        height = max(300, 110 + 24 * n)
    else:
        fig.update_xaxes(type="category", categoryorder="array", categoryarray=sorted(frame[category].unique()))
        height = 420
    return finish(fig, title=title, source=source, x=value_title if horizontal else category_title,
                  y=category_title if horizontal else value_title, legend=legend if colour else None, height=height)


def scatter(frame: pd.DataFrame, x: str, y: str, *, title: str, source: Source, x_title: str, y_title: str,
            colour: str | None = None, legend: str | None = None, size: str | None = None,
            hover_name: str | None = None, hover: Sequence[str] = (), log_x: bool = False,
            lines: Sequence[tuple[str, float]] = ()) -> go.Figure:
    """A scatter plot; ``lines``: reference lines ('h' or 'v', at value), e.g. a mean of 1."""
    fig = px.scatter(frame, x=x, y=y, color=colour, size=size, hover_name=hover_name, hover_data=list(hover) or None,
                     log_x=log_x, size_max=40, labels={x: x_title, y: y_title, **({colour: legend} if colour else {})})
    for kind, at in lines:
        (fig.add_hline if kind == "h" else fig.add_vline)(at, line_dash="dot", line_color="grey")
    return finish(fig, title=title, source=source, x=x_title, y=y_title, legend=legend if colour else None,
                  height=480)


def world_map(frame: pd.DataFrame, value: str, *, title: str, source: Source, value_title: str,
              hover_name: str = "country") -> go.Figure:
    """Countries (ISO 3166-1 alpha-3 in ``country``) coloured by ``value``; the others drawn grey.

    The shapes are plotly's world_110m TopoJSON layers, read from ``config(topojson_url=...)``.
    """
    fig = px.choropleth(frame, locations="country", locationmode="ISO-3", color=value, hover_name=hover_name,
                        color_continuous_scale="YlOrRd", labels={value: value_title})
    # the whole world, centred on Greenwich, Antarctica left out: plotly.js would otherwise frame the
    # countries that have data (half a world for six countries)
    fig.update_geos(showframe=False, projection_type="natural earth", projection_rotation_lon=0, fitbounds=False,
                    lonaxis_range=[-180, 180], lataxis_range=[-58, 85], showcountries=True,
                    countrycolor="#9e9e9e", showland=True, landcolor="#f0f0f0", showcoastlines=True,
                    coastlinecolor="#9e9e9e")
    return finish(fig, title=title, source=source, colour=value_title, height=460)


def province_map(frame: pd.DataFrame, value: str, geojson: Mapping[str, Any], *, title: str, source: Source,
                 value_title: str, credit: str, region: str = "region", name: str = "name") -> go.Figure:
    """Provinces (ISO 3166-2 in ``region``) coloured by ``value``; every province of ``geojson`` is
    outlined, those without a row stay grey."""
    every = [f["id"] for f in geojson["features"]]
    names = {f["id"]: f["properties"].get("name_eng", f["id"]) for f in geojson["features"]}
    fig = go.Figure()
    # the outline layer: all provinces, grey, under the data
    fig.add_trace(go.Choropleth(geojson=geojson, locations=every, z=[0] * len(every), featureidkey="id",
                                colorscale=[[0, MISSING_COLOUR], [1, MISSING_COLOUR]], showscale=False,
                                marker_line_color="white", marker_line_width=0.8, name="no data",
                                text=[f"{names[k]} ({k}): no firms in the data" for k in every],
                                hoverinfo="text"))
    shown = frame[frame[region].isin(names) & frame[value].notna()]
    fig.add_trace(go.Choropleth(geojson=geojson, locations=shown[region], z=shown[value], featureidkey="id",
                                colorscale="YlOrRd", marker_line_color="white", marker_line_width=0.8,
                                name=value_title, colorbar={"title": {"text": value_title}},
                                text=[f"{n} ({k})" for k, n in zip(shown[region], shown[name])],
                                hovertemplate="%{text}<br>" + value_title + ": %{z:,.4g}<extra></extra>"))
    fig.update_geos(visible=False, fitbounds="locations", projection_type="mercator")
    return finish(fig, title=title, source=source, colour=value_title, height=560, credit=credit)


def sankey(labels: Sequence[str], sources: Sequence[int], targets: Sequence[int], values: Sequence[float], *,
           title: str, source: Source, value_title: str) -> go.Figure:
    """A Sankey diagram; ``value_title`` (with its unit) names the link widths in the hover text; the
    title says it too (a Sankey has no axis to carry it)."""
    fig = go.Figure(go.Sankey(node={"label": list(labels), "pad": 12},
                              link={"source": list(sources), "target": list(targets), "value": list(values),
                                    "hovertemplate": "%{source.label} → %{target.label}<br>" + value_title
                                    + ": %{value:.4g}<extra></extra>"},
                              valueformat=".4g"))
    return finish(fig, title=title, source=source, height=560)


def dumbbell(frame: pd.DataFrame, category: str, a: str, b: str, *, title: str, source: Source, category_title: str,
             value_title: str, a_name: str, b_name: str) -> go.Figure:
    """Two values per category joined by a line (year A and year B side by side); first row on top."""
    cats = [str(c) for c in frame[category]]
    xs, ys = [], []
    for c, va, vb in zip(cats, frame[a], frame[b]):
        xs += [va, vb, None]
        ys += [c, c, None]
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", line={"color": "#bbbbbb", "width": 3}, hoverinfo="skip",
                             showlegend=False))
    fig.add_trace(go.Scatter(x=frame[a], y=cats, mode="markers", name=a_name, marker={"size": 10, "color": "#8fb3d9"}))
    fig.add_trace(go.Scatter(x=frame[b], y=cats, mode="markers", name=b_name, marker={"size": 10, "color": "#1f4e79"}))
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=cats[::-1])
    return finish(fig, title=title, source=source, x=value_title, y=category_title, legend="Year",
                  height=max(300, 110 + 24 * len(cats)))
