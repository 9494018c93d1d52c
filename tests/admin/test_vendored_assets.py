"""The vendored front-end files are the versions package.json pins, and load nothing from elsewhere."""

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GOVUK = ROOT / "voice_service" / "web" / "static" / "govuk"


def _locked(name: str) -> str:
    lock = json.loads((ROOT / "package-lock.json").read_text())
    return lock["packages"][f"node_modules/{name}"]["version"]


def test_vendored_versions_match_package_json_and_the_lock_file():
    manifest = json.loads((ROOT / "package.json").read_text())
    pinned = {**manifest["dependencies"], **manifest["devDependencies"]}
    assert (GOVUK / "VERSION").read_text().strip() == pinned["govuk-frontend"] == _locked("govuk-frontend")
    axe_version = (ROOT / "tests" / "admin" / "vendor" / "AXE_VERSION").read_text().strip()
    assert axe_version == pinned["axe-core"] == _locked("axe-core")
    assert f"axe v{axe_version}" in (ROOT / "tests" / "admin" / "vendor" / "axe.min.js").read_text()[:200]


def test_the_css_finds_its_fonts_beside_it_and_nothing_elsewhere():
    css = (GOVUK / "govuk-frontend.min.css").read_text()
    urls = set(re.findall(r"url\(([^)]*)\)", css))
    assert urls, "the CSS names its fonts"
    for url in urls:
        assert url.startswith("assets/"), url
        assert (GOVUK / url).is_file(), url
    # The only addresses are attribute selectors for printing link targets, not things to load.
    assert not re.search(r"(?<!\[href\^=\")https?://", css)


def test_the_script_is_the_module_admin_js_imports():
    script = (GOVUK / "govuk-frontend.min.js").read_text()
    assert f'const version="{(GOVUK / "VERSION").read_text().strip()}"' in script and "initAll" in script
    admin_js = (ROOT / "voice_service" / "web" / "static" / "admin" / "admin.js").read_text()
    assert 'from "../govuk/govuk-frontend.min.js"' in admin_js
