"""The Chinese font the charts are drawn with, shipped with the code so that charts have text
on any machine (no system font, no root needed).

Why ship a font: the chart renderer (vl-convert) draws text only with fonts it has been given
or finds in the system font folders; on a machine without a CJK font (a laptop, a server
without root) every title, label, digit and legend of a chart comes out blank, silently.

What is shipped: ``ingest/fonts/JuesuanSansSC-Regular.otf``, a subset of Noto Sans CJK SC
Regular (SIL Open Font License 1.1, ``ingest/fonts/OFL.txt``; © Adobe, Noto is a trademark of
Google), renamed "Juesuan Sans SC": a modified OFL font should not pass for the original, and
a chart must never silently use a full Noto that happens to be installed instead. It keeps every character of GB 2312
(6,763 汉字 and its symbols), printable ASCII, and every character found in the shipped
disclosures, the reference seeds, the dbt models and the notebooks. It lives in the ``ingest``
package (package data) rather than under ``notebooks/``: it is installed with the code that
draws the charts wherever that code is installed, and the top level of the project stays as it is.

How it is made: ``python -m ingest.fonts --subset`` (needs fontTools, a dev/test dependency,
and the Debian package fonts-noto-cjk as the source) rewrites the file; the script is the
source of the file, the file is committed. Characters outside the subset (a rare 汉字 in a
department's name) fall back to any CJK font the system has.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ingest.settings import settings

FONT_DIRECTORY = Path(__file__).resolve().parent / "fonts"
FONT_FILE = FONT_DIRECTORY / "JuesuanSansSC-Regular.otf"
FAMILY = "Juesuan Sans SC"

# how the subset is made
SOURCE_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
SOURCE_FAMILY = "Noto Sans CJK SC"  # the face of the collection that is cut down
GB2312_ROWS = range(0xA1, 0xF8)  # GB 2312 row (区) bytes: symbols 0xA1-0xA9, 汉字 0xB0-0xF7
GB2312_CELLS = range(0xA1, 0xFF)  # cell (位) bytes
TEXT_SOURCES = (
    "seeds/*.csv",
    "notebooks/*.py",
    "dbt_project/models/**/*.sql",
    "dbt_project/models/**/*.yml",
    "dbt_project/models/**/*.md",
    "samples/**/*.txt",
    "samples/**/*.html",
    "samples/**/*.md",
)
PDF_SOURCES = "samples/**/*.pdf"
# horizontal text only: no 'locl' (it would pull in the Japanese, Korean and traditional forms of
# thousands of 汉字) and no vertical forms or metrics
LAYOUT_FEATURES = ("kern", "liga", "ccmp", "palt")
DROPPED_TABLES = ("vhea", "vmtx", "VORG")

_registered = False


def register_chart_fonts() -> None:
    """Give vl-convert the shipped font (once per process: its font list is process-wide). The
    system's fonts need no registering: vl-convert loads them itself (the folders fontconfig
    names, else /usr/share/fonts and ~/.local/share/fonts), and falls back to them for a
    character the shipped font lacks."""
    global _registered
    if _registered:
        return
    import vl_convert

    vl_convert.register_font_directory(str(FONT_DIRECTORY))
    _registered = True


# --- making the subset (python -m ingest.fonts --subset) -----------------------------------------


def gb2312_characters() -> set[str]:
    """Every character GB 2312 encodes (its 94 × 94 table; unassigned cells do not decode)."""
    characters = set()
    for row in GB2312_ROWS:
        for cell in GB2312_CELLS:
            try:
                characters.add(bytes((row, cell)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return characters


def characters_in_use(root: Path | None = None) -> set[str]:
    """Characters of the shipped documents (text layers of the PDFs included), reference seeds,
    dbt models and notebooks: whatever the sample's charts and tables can print."""
    root = root or settings().home
    characters = set()
    for pattern in TEXT_SOURCES:
        for path in root.glob(pattern):
            characters.update(path.read_bytes().decode("utf-8", errors="ignore"))
    import pypdfium2

    for path in root.glob(PDF_SOURCES):
        document = pypdfium2.PdfDocument(path)
        try:
            for page in document:
                characters.update(page.get_textpage().get_text_range())
        finally:
            document.close()
    return {c for c in characters if (c.isprintable() and not c.isspace()) or c == " "}


def make_subset(source: Path = SOURCE_FONT, target: Path = FONT_FILE) -> int:
    """Cut ``source``'s SC face down to GB 2312 + ASCII + the characters in use, renamed; returns the glyph count."""
    from fontTools import subset
    from fontTools.ttLib import TTCollection

    collection = TTCollection(str(source))
    (font,) = [face for face in collection.fonts if face["name"].getDebugName(1) == SOURCE_FAMILY]
    wanted = {chr(code) for code in range(0x20, 0x7F)} | gb2312_characters() | characters_in_use()
    options = subset.Options()
    options.name_IDs = ["*"]
    options.notdef_outline = True  # a missing character shows as a box, not as nothing
    options.layout_features = list(LAYOUT_FEATURES)
    options.drop_tables += list(DROPPED_TABLES)
    options.hinting = False  # the renderer (resvg) does not hint
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(ord(c) for c in wanted))
    subsetter.subset(font)
    _rename(font)
    target.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(target))
    return font["maxp"].numGlyphs


def _rename(font) -> None:
    """Family "Juesuan Sans SC": a modified font under the OFL gets a name of its own."""
    postscript = FAMILY.replace(" ", "") + "-Regular"
    names = {
        1: FAMILY,
        3: f"{postscript};subset of {SOURCE_FAMILY}",
        4: f"{FAMILY} Regular",
        6: postscript,
        16: FAMILY,
        17: "Regular",
    }
    table = font["name"]
    for record in list(table.names):
        if record.nameID in names:
            table.setName(names[record.nameID], record.nameID, record.platformID, record.platEncID, record.langID)
    if "CFF " in font:
        cff = font["CFF "].cff
        cff.fontNames = [postscript]
        top = cff.topDictIndex[0]
        top.FullName, top.FamilyName = f"{FAMILY} Regular", FAMILY


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ingest.fonts", description=__doc__.splitlines()[0])
    parser.add_argument("--subset", action="store_true", help=f"rewrite {FONT_FILE.name} from {SOURCE_FONT}")
    parser.add_argument("--source", type=Path, default=SOURCE_FONT)
    args = parser.parse_args(argv)
    if not args.subset:
        print(f"{FAMILY}: {FONT_FILE} ({FONT_FILE.stat().st_size / 1e6:.1f} MB)")
        return 0
    if not args.source.is_file():
        print(f"fonts: no source font at {args.source} (apt-get install fonts-noto-cjk)", file=sys.stderr)
        return 2
    glyphs = make_subset(args.source)
    print(f"fonts: {FONT_FILE} written: {glyphs} glyphs, {FONT_FILE.stat().st_size / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
