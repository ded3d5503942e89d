"""Entry script for the PyInstaller bundle (``paktdesk/__main__.py`` uses relative imports, so it
cannot be the frozen top-level script itself). ``PAKTDESK_SMOKE=1`` turns on the window smoke check
of ``bundle_smoke.py``; without it this only runs PaktDesk."""

import sys

import bundle_smoke

if __name__ == "__main__":
    if bundle_smoke.enabled():
        bundle_smoke.install()
    from paktdesk.__main__ import main

    sys.exit(main())
