"""A synthetic corpus of 部门决算 disclosures, for scale benchmarks only.

Every document is **clearly labelled synthetic**: its first line (text) or the top of its first
page (PDF) is the banner ``【合成数据 SYNTHETIC — 仅用于性能测试，不是真实公开文件】``, its
department is called "合成样本<six Chinese digits>号<局…>", e.g. 合成样本零零零零四二号局, in a real
region (四川省遂宁市安居区, 上海市普陀区 …) so that the gazetteer resolves it, and its file name starts
with ``合成-``. Nothing here is a real disclosure; never mix these files
with real ones.

Documents take the real documents' shapes (text like ``samples/sichuan``, PDF like the Shanghai
2024 决算 with ruled tables), use codes of ``seeds/ref_function_code.csv`` valid in their year,
and their amounts add up (项 → 款 → 类 → total, 基本 + 项目 = 合计, income by source = total).
Everything is deterministic: department ``index`` in ``year`` with ``seed`` is always the same
bytes, and can be drawn alone (see ``tools.synthetic.corpus``).

API (for ``tools.scale_bench`` and ``tools.bench``)::

    write_corpus(out_dir, departments=1000, years=[2021, 2022], seed=7, fmt="text",
                 truth=None, jobs=None) -> CorpusStats
        # N departments × the years into out_dir (created); truth: a CSV path for the ground
        # truth (keep it outside out_dir: the ingest reads every file of the folder)
    render_one(index, year, seed, fmt) -> bytes       # one document
    file_name(index, year, fmt) -> str                # "合成-<region>-<name>-<year>-部门决算.txt"
    rewrite_with_seed(path, seed) -> None             # the same department-year, drawn with another seed
    truth_rows(index, year, seed) -> list[dict]       # what the ingest should find in that document

Command line: ``python -m tools.synthetic --departments N --years 2021-2023 --seed 7
--format text|pdf --out DIR [--truth FILE] [--jobs J]``.

PDFs need reportlab and two TrueType fonts from Debian: ``fonts-droid-fallback`` (Chinese,
Apache-2.0) and ``fonts-dejavu-core``; without them ``tools.synthetic.pdf.FontMissing`` says
which package to install. Text needs nothing beyond the standard library.
"""

from __future__ import annotations

from tools.synthetic.writer import (
    CorpusStats,
    file_name,
    render_one,
    rewrite_with_seed,
    truth_rows,
    write_corpus,
)

__all__ = ["CorpusStats", "file_name", "render_one", "rewrite_with_seed", "truth_rows", "write_corpus"]
