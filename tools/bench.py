"""PDF ingest benchmark: our reader and extractors against a plain pdfplumber text pass.

``python -m tools.bench [--disclosures samples] [--out bench/pdf_benchmark.txt]`` reads every
PDF under the folder twice, one process, one core:

- **ours**: ``read_pdf`` (characters, rules, lines, tables) and ``extract_document`` (identity,
  narrative, tables → records), i.e. everything the ingest does to a PDF but writing seeds;
- **pdfplumber**: ``page.extract_text()`` on every page and nothing else, the baseline a
  text-only approach would start from.

It prints seconds and pages/s per document and in total, and the ratio; the same table is
written to ``--out``. The targets (issue #10): at least 50 pages/s, and at least 5× pdfplumber.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--disclosures", type=Path, default=ROOT / "samples", help="folder of PDFs (default: samples/)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "pdf_benchmark.txt")
    args = parser.parse_args(argv)
    files = sorted(p for p in args.disclosures.rglob("*.pdf") if p.is_file())
    if not files:
        print(f"no PDF under {args.disclosures}", file=sys.stderr)
        return 2
    warm_up()
    rows = [measure(path, args.disclosures) for path in files]
    report = format_report(rows)
    print(report)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report + "\n", encoding="utf-8")
    return 0


def warm_up() -> None:
    """Load what every run loads once (the gazetteer, the code lists), so the first file is not charged for it."""
    from ingest.parse.classification import economic_reference, function_reference
    from ingest.parse.extractors.identity import resolve_region

    function_reference()
    economic_reference()
    resolve_region("上海市普陀区", "")


def measure(path: Path, folder: Path) -> dict:
    from ingest.parse.passes import extract_document
    from ingest.parse.readers.pdf import read_pdf

    data = path.read_bytes()
    relative = path.relative_to(folder).as_posix()
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
    return {"file": relative, "pages": pages or plumber_pages, "ours": ours, "plumber": plumber, "status": status}


def _pdfplumber_seconds(path: Path) -> tuple[float, int]:
    import pdfplumber

    start = time.perf_counter()
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
        count = len(pdf.pages)
    return time.perf_counter() - start, count


def format_report(rows: list[dict]) -> str:
    pages = sum(r["pages"] for r in rows)
    ours = sum(r["ours"] for r in rows)
    plumber = sum(r["plumber"] for r in rows)
    lines = [
        "PDF ingest benchmark (one process, one core; imports and reference tables loaded before timing): "
        "ours = read_pdf + extract_document; pdfplumber = page.extract_text() only",
        f"{'file':<60} {'pages':>5} {'ours s':>8} {'ours p/s':>9} {'plumber s':>10} {'plumber p/s':>12}",
    ]
    for r in rows:
        name = r["file"] if len(r["file"]) <= 58 else "…" + r["file"][-57:]
        lines.append(
            f"{name:<60} {r['pages']:>5} {r['ours']:>8.3f} {_rate(r['pages'], r['ours']):>9.1f} "
            f"{r['plumber']:>10.3f} {_rate(r['pages'], r['plumber']):>12.1f}"
            + ("" if r["status"] == "ok" else f"  ({r['status']})")
        )
    lines += [
        f"{'total':<60} {pages:>5} {ours:>8.3f} {_rate(pages, ours):>9.1f} {plumber:>10.3f} {_rate(pages, plumber):>12.1f}",
        f"documents: {len(rows)}; seconds per document: ours {ours / len(rows):.3f}, pdfplumber {plumber / len(rows):.3f}",
        f"ratio (ours pages/s ÷ pdfplumber pages/s): {plumber / ours if ours else float('inf'):.1f}×",
    ]
    return "\n".join(lines)


def _rate(pages: int, seconds: float) -> float:
    return pages / seconds if seconds > 0 else float("inf")


if __name__ == "__main__":
    sys.exit(main())
