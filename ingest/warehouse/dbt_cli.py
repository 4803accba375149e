"""``python -m ingest.warehouse.dbt_cli …``: dbt's own command line, started without one needless slow import.

The notebook stack installs ``jsonschema[format-nongpl]``, which brings ``rfc3987_syntax``; that
package compiles an Earley grammar for IRIs when it is imported (3.6 s on a 2-core machine), and
jsonschema imports it whenever it is installed. dbt validates its own artifacts with jsonschema
but never an IRI, so the launcher marks the module as absent, which jsonschema already handles
(it then just has no "iri" format checker). Everything else is dbt unchanged.
"""

from __future__ import annotations

import sys

sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[assignment]  # import now raises ImportError

from dbt.cli.main import cli  # noqa: E402  (must come after the line above)

if __name__ == "__main__":
    sys.exit(cli())
