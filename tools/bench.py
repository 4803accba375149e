"""PDF ingest benchmark: our reader and extractors against a plain pdfplumber text pass.

``python -m tools.bench [--disclosures samples] [--out bench/pdf_benchmark.txt]`` reads every
PDF under the folder twice, one process, one core, file after file:

- **ours**: ``read_pdf`` (characters, rules, lines, tables) and ``extract_document`` (identity,
  narrative, tables → records), i.e. everything the ingest does to a PDF but writing seeds;
- **pdfplumber**: ``page.extract_text()`` on every page and nothing else, the baseline a
  text-only approach would start from.

Both run on the same pages in the same run, so the ratio holds whatever else the machine does.
Python's cycle collector runs before each timed pass, outside the timer: otherwise the garbage one
pass leaves (pdfplumber's objects of a whole document) is collected, and timed, inside the next.
The PDFs are measured as two sets: the **shipped** ones (``samples/`` but ``national/``) and the
**national** sample (``samples/national/``), each with its ratio (issue #22: at least 10×).

A **layout family** is the folder a disclosure sits in under ``samples/``: one publisher's
template (``jiangsu``, ``shanghai``, ``reference``) or, in ``national/``, one city's
(``national/深圳``); a city or province prints every department's disclosure from one template,
so the folder is the template kind. Seconds per document are reported per family.

It prints seconds and pages/s per document, per family and per set, and the ratio; the same
tables are written to ``--out``.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NATIONAL = "national"
TARGET_RATIO = 10.0  # issue #22: ours at least 10× a plain pdfplumber text pass


@dataclass
class Measured:
    file: str  # relative to the folder measured
    family: str
    pages: int
    ours: float  # seconds
    plumber: float  # seconds
    status: str = "ok"


@dataclass
class PdfSet:
    name: str  # shipped | national | the folder's name
    rows: list[Measured]

    @property
    def ours(self) -> float:
        return sum(r.ours for r in self.rows)

    @property
    def plumber(self) -> float:
        return sum(r.plumber for r in self.rows)

    @property
    def pages(self) -> int:
        return sum(r.pages for r in self.rows)

    @property
    def ratio(self) -> float:
        return self.plumber / self.ours if self.ours else float("inf")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--disclosures", type=Path, default=ROOT / "samples", help="folder of PDFs (default: samples/)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "pdf_benchmark.txt")
    args = parser.parse_args(argv)
    sets = measure_sets(args.disclosures)
    if not any(s.rows for s in sets):
        print(f"no PDF under {args.disclosures}", file=sys.stderr)
        return 2
    report = format_report(sets)
    print(report)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report + "\n", encoding="utf-8")
    return 0


def measure_sets(folder: Path) -> list[PdfSet]:
    """Every PDF under ``folder``, as the shipped set and the national one (``folder/national``);
    a folder without a ``national/`` is one set named after it."""
    files = sorted(p for p in folder.rglob("*.pdf") if p.is_file())
    warm_up()
    national = [p for p in files if p.relative_to(folder).parts[0] == NATIONAL]
    shipped = [p for p in files if p not in set(national)]
    if not national:
        return [PdfSet(folder.name, [measure(path, folder) for path in shipped])]
    return [
        PdfSet("shipped", [measure(path, folder) for path in shipped]),
        PdfSet(NATIONAL, [measure(path, folder) for path in national]),
    ]


def layout_family(relative: str) -> str:
    """The folder of the file under the samples: ``jiangsu``, ``national/深圳`` (``.`` at the top)."""
    parts = relative.split("/")[:-1]
    if parts and parts[0] == NATIONAL:
        return "/".join(parts[:2])
    return parts[0] if parts else "."


def warm_up() -> None:
    """Load what every run loads once (the gazetteer, the code lists), so the first file is not charged for it."""
    from ingest.parse.classification import economic_reference, function_reference
    from ingest.parse.extractors.identity import resolve_region

    function_reference()
    economic_reference()
    resolve_region("上海市普陀区", "")


def measure(path: Path, folder: Path) -> Measured:
    from ingest.parse.passes import extract_document
    from ingest.parse.readers.pdf import read_pdf

    data = path.read_bytes()
    relative = path.relative_to(folder).as_posix()
    gc.collect()  # the last pass's garbage collected now, not charged to this one
    start = time.perf_counter()
    status = "ok"
    pages = 0
    try:
        document = read_pdf(data, relative)
        pages = document.page_count or 0
        extract_document(document, hashlib.sha256(data).hexdigest()[:16])
    except ValueError as error:  # refused (scanned, encrypted): still timed
        status = f"refused: {error}"
    ours = time.perf_counter() - start
    plumber, plumber_pages = _pdfplumber_seconds(path)
    return Measured(relative, layout_family(relative), pages or plumber_pages, ours, plumber, status)


def _pdfplumber_seconds(path: Path) -> tuple[float, int]:
    import pdfplumber

    gc.collect()
    start = time.perf_counter()
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
        count = len(pdf.pages)
    return time.perf_counter() - start, count


def families(pdf_set: PdfSet) -> list[PdfSet]:
    """The set's documents by layout family, in name order."""
    grouped: dict[str, list[Measured]] = defaultdict(list)
    for row in pdf_set.rows:
        grouped[row.family].append(row)
    return [PdfSet(name, rows) for name, rows in sorted(grouped.items())]


def format_report(sets: list[PdfSet]) -> str:
    lines = [
        "PDF ingest benchmark (one process, one core; imports and reference tables loaded before timing): "
        "ours = read_pdf + extract_document; pdfplumber = page.extract_text() only, same pages, same run",
    ]
    for pdf_set in sets:
        lines += ["", f"{pdf_set.name}: per document"] + _document_lines(pdf_set.rows)
        lines += _total_lines(pdf_set)
    lines += [
        "",
        "seconds per document by layout family (the folder under samples/: one publisher's template)",
        f"{'family':<24} {'docs':>4} {'pages':>5} {'ours s/doc':>10} {'plumber s/doc':>13} {'ratio':>6}",
    ]
    for pdf_set in sets:
        for family in families(pdf_set):
            lines.append(family_line(family))
    return "\n".join(lines)


def family_line(family: PdfSet) -> str:
    count = len(family.rows)
    return (
        f"{family.name:<24} {count:>4} {family.pages:>5} {family.ours / count:>10.3f} "
        f"{family.plumber / count:>13.3f} {family.ratio:>5.1f}×"
    )


def _document_lines(rows: list[Measured]) -> list[str]:
    lines = [f"{'file':<60} {'pages':>5} {'ours s':>8} {'ours p/s':>9} {'plumber s':>10} {'plumber p/s':>12}"]
    for r in rows:
        name = r.file if len(r.file) <= 58 else "…" + r.file[-57:]
        lines.append(
            f"{name:<60} {r.pages:>5} {r.ours:>8.3f} {_rate(r.pages, r.ours):>9.1f} "
            f"{r.plumber:>10.3f} {_rate(r.pages, r.plumber):>12.1f}" + ("" if r.status == "ok" else f"  ({r.status})")
        )
    return lines


def _total_lines(pdf_set: PdfSet) -> list[str]:
    rows, pages, ours, plumber = pdf_set.rows, pdf_set.pages, pdf_set.ours, pdf_set.plumber
    if not rows:
        return ["(no PDF)"]
    return [
        f"{'total':<60} {pages:>5} {ours:>8.3f} {_rate(pages, ours):>9.1f} {plumber:>10.3f} {_rate(pages, plumber):>12.1f}",
        f"documents: {len(rows)}; seconds per document: ours {ours / len(rows):.3f}, pdfplumber {plumber / len(rows):.3f}",
        f"ratio (ours pages/s ÷ pdfplumber pages/s): {pdf_set.ratio:.1f}× (target ≥ {TARGET_RATIO:g}×)",
    ]


def _rate(pages: int, seconds: float) -> float:
    return pages / seconds if seconds > 0 else float("inf")


if __name__ == "__main__":
    sys.exit(main())
