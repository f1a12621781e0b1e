"""The release of the code, which the shared cache's keys carry (csa_tracker/release.py): the same code
gives the same release wherever it was copied, any change to it another."""

import shutil

from csa_tracker.release import code_release
from tests.paths import ROOT


def a_copy(tmp_path, name="site"):
    """Some of the app's own code (an app and its templates) copied to a folder of its own."""
    target = tmp_path / name
    for part in ("reports", "templates/reports"):
        shutil.copytree(ROOT / part, target / part, ignore=shutil.ignore_patterns("__pycache__"))
    return target


def test_the_same_code_copied_elsewhere_is_the_same_release(tmp_path):
    first, second = a_copy(tmp_path, "first"), a_copy(tmp_path, "second")
    assert code_release(first) == code_release(second)


def test_a_changed_template_or_module_is_another_release(tmp_path):
    site = a_copy(tmp_path)
    before = code_release(site)
    template = next((site / "templates" / "reports").rglob("*.html"))
    template.write_text(template.read_text() + "\n<p>New.</p>")
    after_template = code_release(site)
    (site / "reports" / "snapshot.py").write_text("SNAPSHOT_FORMAT = 6\n", encoding="utf-8")
    assert len({before, after_template, code_release(site)}) == 3


def test_tests_caches_and_the_environment_are_not_the_release(tmp_path):
    site = a_copy(tmp_path)
    before = code_release(site)
    for folder in ("tests", ".venv", "__pycache__", "staticfiles"):
        (site / folder).mkdir(exist_ok=True)
        (site / folder / "written.py").write_text("x = 1\n", encoding="utf-8")
    assert code_release(site) == before
