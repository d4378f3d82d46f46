"""One result, one file: every entry is registered by the module its ID names, so that loading
one entry (``theorems show ID``) or one source imports only that, and a reader finds a result
where its ID says."""

from __future__ import annotations

import subprocess
import sys

from theorems.registry import entries, module_of, registered_in


def test_every_entry_lives_in_the_file_its_id_names() -> None:
    wrong = [f"{e.id}: in {registered_in(e.id)}, expected {module_of(e.id)}" for e in entries() if registered_in(e.id) != module_of(e.id)]
    assert not wrong, wrong


def test_showing_one_entry_loads_only_its_module() -> None:
    code = (
        "import sys; from theorems.registry import get; get('bruna.quadratic-saddle'); "
        "print(sorted(m for m in sys.modules if m.startswith('theorems.catalogue.') and not m.rsplit('.', 1)[-1].startswith('_')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert eval(out) == ["theorems.catalogue.bruna", "theorems.catalogue.bruna.quadratic_saddle"]  # noqa: S307 - our own output


def test_a_source_selects_the_same_entries_lazily_as_after_a_full_load() -> None:
    code = "from theorems.registry import entries; print(len(entries(['golikov'])))"
    lazy = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert int(lazy) == len(entries(["golikov"])) > 0
