"""The charts the notebooks share: one look for every peer comparison, every change and every part.

Every chart that shows a disclosure's figure shows that disclosure's verdict (``trusted``,
``incomplete``, ``check first``: fct_disclosure) as the colour of its mark, so a figure from a
disclosure with a defect never looks like any other. The theme (CJK font, sizes) is lab's; these
functions only build altair charts from frames the notebooks read from the marts, and never query.
"""

from __future__ import annotations

import altair as alt
import polars as pl

VERDICTS = ["trusted", "incomplete", "check first"]
VERDICT_COLOURS = ["#4c78a8", "#f2a93b", "#e45756"]
COMPARABLE_COLOURS = ["#4c78a8", "#b0b0b0"]  # comparable, left out


def verdict_colour(title: str = "verdict of the disclosure") -> alt.Color:
    """The verdict of the disclosure a figure comes from, as the colour of its mark."""
    return alt.Color(
        "verdict:N",
        title=title,
        scale=alt.Scale(domain=VERDICTS, range=VERDICT_COLOURS),
        legend=alt.Legend(orient="bottom"),
    )


def peer_boxes(spread: pl.DataFrame, points: pl.DataFrame, value_title: str, title: str) -> alt.VConcatChart:
    """One box plot per peer group (largest first, each on its own scale), drawn from the quartiles and
    whiskers computed in the mart (mart_peer_spread), with every department's point on top
    (mart_peer_point): the colour is the verdict, a ring marks an IQR outlier, the label is the place."""
    panels = []
    for group in spread.sort(["departments", "peer_group"], descending=[True, False]).iter_rows(named=True):
        box = alt.Chart(pl.DataFrame([group]))
        dots_frame = points.filter(pl.col("peer_group") == group["peer_group"])
        x = alt.X("value:Q", title=value_title if not panels else None)
        layers = [
            box.mark_rule(opacity=0.6).encode(x=alt.X("whisker_low:Q", title=None), x2="whisker_high:Q"),
            box.mark_bar(opacity=0.25, size=26).encode(
                x="q1:Q",
                x2="q3:Q",
                tooltip=[
                    "peer_group",
                    "departments",
                    "places",
                    "q1",
                    "median",
                    "q3",
                    "lower_fence",
                    "upper_fence",
                    "outliers",
                ],
            ),
            box.mark_tick(color="#333", size=26, thickness=1.5).encode(x="median:Q"),
            alt.Chart(dots_frame)
            .mark_circle(size=80, opacity=0.9)
            .encode(
                x=x,
                color=verdict_colour(),
                tooltip=[
                    "department_name",
                    "place",
                    "fiscal_year",
                    "value",
                    "verdict",
                    "source_file",
                    "source_locator",
                ],
            ),
            alt.Chart(dots_frame.filter(pl.col("is_outlier")))
            .mark_point(size=260, color="#e45756", strokeWidth=2)
            .encode(x="value:Q"),
            alt.Chart(dots_frame).mark_text(dy=-14, fontSize=10).encode(x="value:Q", text="place:N"),
        ]
        panels.append(
            alt.layer(*layers).properties(
                title=alt.TitleParams(
                    f"{group['peer_group']} ({group['departments']} departments, {group['places']} places)", fontSize=12
                ),
                width=520,
                height=44,
            )
        )
    if not panels:  # nothing to draw: say so in the chart's place
        panels.append(
            alt.Chart(pl.DataFrame({"text": ["no peer group of this size"]}))
            .mark_text(size=12)
            .encode(text="text:N")
            .properties(width=520, height=44)
        )
    return alt.vconcat(*panels).properties(title=title)


def type_strip(frame: pl.DataFrame, value: str, value_title: str, title: str) -> alt.LayerChart:
    """The departments of one type, one row per place, their value as a point coloured by verdict and
    shaped by comparison basis (预算 · 部门 · 汇总 vs 本级 …: the bases are never mixed in a statistic)."""
    y = alt.Y("place:N", title=None, sort=alt.EncodingSortField(value, order="descending"))
    dots = (
        alt.Chart(frame)
        .mark_point(size=110, filled=True, opacity=0.9)
        .encode(
            x=alt.X(f"{value}:Q", title=value_title),
            y=y,
            color=verdict_colour(),
            shape=alt.Shape("comparison_basis_zh:N", title="comparison basis", legend=alt.Legend(orient="bottom")),
            tooltip=[
                "department_name",
                "place",
                "fiscal_year",
                "comparison_basis_zh",
                value,
                "verdict",
                "source_locator",
            ],
        )
    )
    labels = (
        alt.Chart(frame)
        .mark_text(align="left", dx=9, fontSize=10)
        .encode(x=f"{value}:Q", y=y, text=alt.Text(f"{value}:Q", format=",.2f"))
    )
    return (dots + labels).properties(title=title, width=520, height=alt.Step(30))


def changes(frame: pl.DataFrame, title: str) -> alt.Chart:
    """Year-over-year change (%) per department and year, one panel per comparison basis (预算 · 部门 ·
    汇总 …: phases, scopes and consolidations are never ranked together): comparable pairs in blue,
    pairs left out (the document says the definition changed, or a value is not the same concept)
    in grey."""
    labelled = frame.with_columns(
        pair=pl.col("department_name") + " " + pl.col("fiscal_year").cast(pl.Utf8),
        comparable=pl.when(pl.col("is_comparable")).then(pl.lit("comparable")).otherwise(pl.lit("left out")),
    )
    return (
        alt.Chart(labelled)
        .mark_bar()
        .encode(
            x=alt.X("change_pct:Q", title="同比 % (vs the same department's year before)"),
            y=alt.Y("pair:N", title=None, sort=alt.EncodingSortField("change_pct", order="ascending")),
            color=alt.Color(
                "comparable:N",
                title=None,
                scale=alt.Scale(domain=["comparable", "left out"], range=COMPARABLE_COLOURS),
                legend=alt.Legend(orient="bottom"),
            ),
            row=alt.Row("comparison_basis_zh:N", title=None, header=alt.Header(labelAngle=0, labelAlign="left")),
            tooltip=[
                "department_name",
                "fiscal_year",
                "comparison_basis_zh",
                "value",
                "prior_value",
                "change_pct",
                "prior_source",
                "comparability_note",
                "verdict",
            ],
        )
        .properties(width=480, height=alt.Step(18))
        .resolve_scale(y="independent")
        .properties(title=title)
    )


def parts(frame: pl.DataFrame, parts: dict[str, str], value_title: str, title: str) -> alt.Chart:
    """Stacked bars of the parts of a total per department (label: place and year), one colour per
    part; the verdict follows the label."""
    labelled = frame.with_columns(
        label=pl.col("place")
        + " "
        + pl.col("department_name").str.replace(r"^.*?[市省区县]", "")
        + " "
        + pl.col("fiscal_year").cast(pl.Utf8)
        + " ("
        + pl.col("verdict")
        + ")"
    )
    long = labelled.unpivot(
        index=["label", "verdict", "department_name", "fiscal_year"],
        on=list(parts),
        variable_name="item",
        value_name="amount",
    ).with_columns(part=pl.col("item").replace_strict(parts, default=None))
    return (
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=alt.X("amount:Q", title=value_title, stack="zero"),
            y=alt.Y("label:N", title=None),
            color=alt.Color("part:N", title=None, sort=list(parts.values()), legend=alt.Legend(orient="bottom")),
            tooltip=["department_name", "fiscal_year", "part", "amount", "verdict"],
        )
        .properties(title=title, width=460, height=alt.Step(20))
    )


def against(frame: pl.DataFrame, x: str, y: str, x_title: str, y_title: str, title: str) -> alt.LayerChart:
    """One figure against another per disclosure (决算 against 预算, a part against its whole), with
    the diagonal where they are equal; colour: the verdict."""
    top = float(max(frame[x].max() or 0, frame[y].max() or 0)) or 1.0
    diagonal = (
        alt.Chart(pl.DataFrame({"a": [0.0, top], "b": [0.0, top]}))
        .mark_line(color="#999", strokeDash=[4, 4])
        .encode(x="a:Q", y="b:Q")
    )
    dots = (
        alt.Chart(frame)
        .mark_circle(size=90, opacity=0.85)
        .encode(
            x=alt.X(f"{x}:Q", title=x_title),
            y=alt.Y(f"{y}:Q", title=y_title),
            color=verdict_colour(),
            tooltip=["department_name", "fiscal_year", x, y, "verdict"],
        )
    )
    labels = (
        alt.Chart(frame)
        .mark_text(align="left", dx=7, fontSize=10)
        .encode(x=f"{x}:Q", y=f"{y}:Q", text="department_name:N")
    )
    return (diagonal + dots + labels).properties(title=title, width=420, height=320)
