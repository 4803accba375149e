"""Writing a synthetic corpus: file names, one document, a whole folder, and its ground truth."""

from __future__ import annotations

import csv
import io
import os
import re
import time
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from tools.synthetic.corpus import DepartmentYear, department, department_year, index_from_name

EXTENSIONS = {"text": ".txt", "pdf": ".pdf"}
TRUTH_FIELDS = (
    "file",
    "department_name",
    "fiscal_year",
    "total_expenditure",
    "gpb_expenditure",
    "code",
    "name",
    "amount",
    "gpb_amount",
)
YEAR_RE = re.compile(r"-(?P<year>\d{4})-部门决算\.(?:txt|pdf)$")
CHUNK_DEPARTMENTS = 25  # at most this many departments per task when writing with several processes


@dataclass
class CorpusStats:
    files: int = 0
    bytes: int = 0
    pages: int = 0  # PDF pages (0 for text)
    seconds: float = 0.0

    @property
    def documents_per_second(self) -> float:
        return self.files / self.seconds if self.seconds else 0.0

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0

    def add(self, other: CorpusStats) -> None:
        self.files += other.files
        self.bytes += other.bytes
        self.pages += other.pages


def file_name(index: int, year: int, fmt: str) -> str:
    """ "合成-四川省遂宁市安居区-合成样本零零零零四二号局-2023-部门决算.txt" """
    dept = department(index)
    return f"合成-{dept.region}-{dept.short_name}-{year}-部门决算{EXTENSIONS[_check(fmt)]}"


def render_one(index: int, year: int, seed: int, fmt: str) -> bytes:
    """The document of department ``index`` in ``year``, drawn with ``seed``, as file content."""
    return render_model(department_year(index, year, seed), fmt)[0]


def render_model(model: DepartmentYear, fmt: str) -> tuple[bytes, int]:
    """(file content, PDF page count or 0) of a model."""
    if _check(fmt) == "text":
        from tools.synthetic.text import render_text

        return render_text(model).encode("utf-8"), 0
    from tools.synthetic.pdf import render_pdf

    return render_pdf(model)


def rewrite_with_seed(path: Path, seed: int) -> None:
    """Overwrite a synthetic document with the same department-year drawn with another seed."""
    path = Path(path)
    index = index_from_name(path.name)
    year = YEAR_RE.search(path.name)
    fmt = next((f for f, ext in EXTENSIONS.items() if path.suffix == ext), None)
    if index is None or year is None or fmt is None:
        raise ValueError(f"not a synthetic corpus file name: {path.name}")
    path.write_bytes(render_one(index, int(year.group("year")), seed, fmt))


def truth_rows(index: int, year: int, seed: int, fmt: str = "text") -> list[dict[str, str]]:
    """What the ingest should read in that document: one row per 项 (amount: 支出决算表, all funds;
    gpb_amount: 一般公共预算财政拨款), with the document's totals repeated."""
    return _truth(department_year(index, year, seed), file_name(index, year, fmt))


def _truth(model: DepartmentYear, name: str) -> list[dict[str, str]]:
    common = {
        "file": name,
        "department_name": model.department.name,
        "fiscal_year": str(model.year),
        "total_expenditure": str(model.total),
        "gpb_expenditure": str(model.gpb_total),
    }
    return [
        {**common, "code": item.code, "name": item.name, "amount": str(item.amount), "gpb_amount": str(item.gpb_amount)}
        for item in model.items
    ]


def write_corpus(
    out_dir: Path,
    departments: int,
    years: Iterable[int],
    seed: int = 0,
    fmt: str = "text",
    truth: Path | None = None,
    jobs: int | None = None,
) -> CorpusStats:
    """``departments`` × ``years`` documents into ``out_dir``; the ground truth into ``truth`` if given.

    The truth file must not be a visible file inside ``out_dir`` (the ingest would read it as a
    disclosure). ``jobs`` processes (default: one per core) share the departments; the files are
    the same bytes for any ``jobs``.
    """
    _check(fmt)
    out_dir = Path(out_dir)
    years = list(years)
    if truth is not None and _inside_visible(Path(truth), out_dir):
        raise ValueError(f"the truth file {truth} would be read as a disclosure: put it outside {out_dir}")
    out_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    jobs = (os.cpu_count() or 1) if jobs is None else jobs
    size = max(1, min(CHUNK_DEPARTMENTS, -(-departments // (4 * jobs))))  # ≥ 4 tasks per process when possible
    chunks = [(start, min(departments, start + size)) for start in range(0, departments, size)]
    work = [(str(out_dir), first, last, years, seed, fmt, truth is not None) for first, last in chunks]
    stats, parts = CorpusStats(), []
    if jobs > 1 and len(chunks) > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            results = list(pool.map(_write_chunk, work))
    else:
        results = [_write_chunk(task) for task in work]
    for chunk_stats, chunk_truth in results:
        stats.add(chunk_stats)
        parts.append(chunk_truth)
    if truth is not None:
        Path(truth).parent.mkdir(parents=True, exist_ok=True)
        with open(truth, "w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerow(TRUTH_FIELDS)
            handle.writelines(parts)
    stats.seconds = time.perf_counter() - started
    return stats


def _write_chunk(task) -> tuple[CorpusStats, str]:
    """Documents of a range of departments, and their truth as CSV text (cheap to send back)."""
    out_dir, first, last, years, seed, fmt, with_truth = task
    stats, truth = CorpusStats(), io.StringIO()
    writer = csv.DictWriter(truth, fieldnames=TRUTH_FIELDS)
    for index in range(first, last):
        for year in years:
            model = department_year(index, year, seed)
            name = file_name(index, year, fmt)
            data, pages = render_model(model, fmt)
            with open(os.path.join(out_dir, name), "wb") as handle:
                handle.write(data)
            stats.files += 1
            stats.bytes += len(data)
            stats.pages += pages
            if with_truth:
                writer.writerows(_truth(model, name))
    return stats, truth.getvalue()


def read_truth(path: Path) -> list[dict[str, str]]:
    """The rows of a truth file written by ``write_corpus`` (all values as printed strings)."""
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _inside_visible(path: Path, folder: Path) -> bool:
    """True when ``path`` lies in ``folder`` and no part of it below the folder starts with a dot."""
    try:
        relative = path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return not any(part.startswith(".") for part in relative.parts)


def _check(fmt: str) -> str:
    if fmt not in EXTENSIONS:
        raise ValueError(f"format must be one of {', '.join(EXTENSIONS)}, got {fmt!r}")
    return fmt
