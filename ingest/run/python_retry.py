"""A file the compiled parser failed on, parsed again by the Python one (``ingest/compiled.py``).

mypyc checks annotations at run time: a value an annotation does not allow (a regex group that is
None where a str is declared, say) is a TypeError in the compiled parser where the Python one
carries on. The Python modules are the reference, so when the compiled parser rejects a file
because its reader or an extractor raised, ``ingest.run.pipeline.parse_task`` has the file parsed
again here, in a fresh process with ``JUESUAN_PURE_PYTHON=1``, and that outcome stands.

``python -m ingest.run.python_retry`` reads a pickled ``(FileTask, file_timeout)`` on stdin and
writes the pickled ``CachedResult`` (log row and seed fragments) on stdout.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys

from ingest.compiled import PURE_PYTHON_VARIABLE
from ingest.run.cache import CachedResult
from ingest.run.parallel import FileTask

STARTING_SECONDS = 30  # allowed beyond the file's own time limit: a new interpreter importing the parser


def retry_in_python(task: FileTask, file_timeout: float | None) -> CachedResult | None:
    """The file parsed by the Python modules in a process of its own; None when that process
    failed or overran (the compiled parser's rejection then stands)."""
    try:
        done = subprocess.run(
            [sys.executable, "-m", "ingest.run.python_retry"],
            input=pickle.dumps((task, file_timeout)),
            capture_output=True,
            env=dict(os.environ, **{PURE_PYTHON_VARIABLE: "1"}),
            timeout=None if file_timeout is None else file_timeout + STARTING_SECONDS,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    try:
        outcome = pickle.loads(done.stdout)
    except Exception:  # a truncated or foreign answer: the rejection stands
        return None
    return outcome if isinstance(outcome, CachedResult) else None


def main() -> int:
    from ingest.run.pipeline import parse_task  # the pipeline imports this module

    task, file_timeout = pickle.loads(sys.stdin.buffer.read())
    outcome, _ = parse_task(task, keep_extraction=False, file_timeout=file_timeout)
    sys.stdout.buffer.write(pickle.dumps(outcome))
    return 0


if __name__ == "__main__":
    sys.exit(main())
