"""Where PaktDesk keeps files, and the resources shipped inside the package."""

import importlib.metadata
from pathlib import Path

import platformdirs
import pytest

from paktdesk import paths


def test_paktdesk_home_overrides_every_location(paktdesk_home):
    assert paths.data_dir() == paktdesk_home / "data"
    assert paths.config_dir() == paktdesk_home / "config"
    assert paths.log_dir() == paktdesk_home / "logs"
    assert paths.backup_dir() == paktdesk_home / "data" / "Sicherungen"
    assert paths.default_data_file() == paktdesk_home / "data" / "Datenbestand.paktdesk"


def test_without_override_the_local_user_data_dir_is_used(monkeypatch):
    monkeypatch.delenv("PAKTDESK_HOME")
    expected = Path(platformdirs.user_data_dir("PaktDesk", False, roaming=False))
    assert paths.data_dir() == expected
    assert paths.default_data_file() == expected / "Datenbestand.paktdesk"
    assert paths.config_dir() == Path(platformdirs.user_config_dir("PaktDesk", False, roaming=False))


def test_shipped_font_has_euro_umlauts_and_capital_sharp_s():
    from reportlab.pdfbase.ttfonts import TTFontFile

    font = paths.resource_path("fonts", "DejaVuSans.ttf")
    assert font.read_bytes()[:4] == b"\x00\x01\x00\x00"  # TrueType
    glyphs = TTFontFile(str(font)).charToGlyph
    for char in "€äöüÄÖÜßẞ–„“":
        assert ord(char) in glyphs, char
    assert paths.resource_path("fonts", "DejaVuSans-Bold.ttf").exists()


def test_missing_resource_is_a_clear_error():
    with pytest.raises(FileNotFoundError, match="resources/fonts/gibtsnicht.ttf"):
        paths.resource_path("fonts", "gibtsnicht.ttf")


def test_installed_package_carries_its_resources():
    """``pip install -e .`` (what installers/dev.py does) maps resources/ to paktdesk.resources."""
    try:
        importlib.metadata.distribution("paktdesk")
    except importlib.metadata.PackageNotFoundError:
        pytest.skip("paktdesk ist nicht installiert (Lauf über PYTHONPATH)")
    import paktdesk.resources as resources

    folder = Path(resources.__file__).parent
    assert (folder / "fonts" / "DejaVuSans.ttf").is_file()
    assert paths.resource_path("fonts", "DejaVuSans.ttf") == folder / "fonts" / "DejaVuSans.ttf"
