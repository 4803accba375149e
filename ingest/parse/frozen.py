"""Frozen dataclasses built quickly: records and lines are made by the hundred per document.

``frozen`` stands for ``@dataclass(frozen=True)``. The ``__init__`` dataclasses writes for a frozen
class calls ``object.__setattr__`` once per field; this one stores the fields straight into the
instance's ``__dict__``, as attrs does for its frozen classes (1.6 µs for a FigureRow against 0.6 µs).
Everything else is the dataclass's own: setting a field afterwards raises ``FrozenInstanceError``,
equality, hashing, ``repr`` and ``dataclasses.replace`` are unchanged.
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, fields
from typing import dataclass_transform


@dataclass_transform(frozen_default=True)
def frozen(cls):
    """``@dataclass(frozen=True)`` with a faster ``__init__`` (see the module's docstring). A class with
    defaults, a field not set by ``__init__`` or a ``__post_init__`` keeps the dataclass's own."""
    cls = dataclass(frozen=True)(cls)
    columns = fields(cls)
    if hasattr(cls, "__post_init__") or any(
        not f.init or f.default is not MISSING or f.default_factory is not MISSING for f in columns
    ):
        return cls
    names = [f.name for f in columns]
    source = f"def __init__(self, {', '.join(names)}):\n    stored = self.__dict__\n" + "".join(
        f"    stored[{name!r}] = {name}\n" for name in names
    )
    namespace: dict = {}
    exec(source, {}, namespace)  # as dataclasses and attrs write their __init__
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__doc__ = cls.__init__.__doc__
    cls.__init__ = init
    return cls
