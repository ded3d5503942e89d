"""``python -m paktdesk`` and the ``paktdesk`` command."""

from __future__ import annotations

import sys


def _run_gui(data_path, *, demo: bool = False) -> int:
    from .app import run_gui  # Qt is imported only when a window is wanted

    return run_gui(data_path, demo=demo)


def main(argv: list[str] | None = None) -> int:
    from .cli import main as cli_main

    return cli_main(sys.argv[1:] if argv is None else argv, run_gui=_run_gui)


if __name__ == "__main__":
    sys.exit(main())
