"""Static files for production (hashed names and compressed copies, served by WhiteNoise), and the
private storage of evidence files."""

from django.core.files.storage import FileSystemStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage


def _without_source_maps(patterns):
    def keeps(pattern) -> bool:
        return "sourceMappingURL" not in (pattern if isinstance(pattern, str) else pattern[0])

    return tuple((glob, tuple(filter(keeps, found))) for glob, found in patterns)


class StaticStorage(CompressedManifestStaticFilesStorage):
    """The vendored Bootstrap and Chart.js end with a sourceMappingURL to map files we do not ship;
    rewriting those references would fail, so they are left as they are (a browser just finds no map)."""

    patterns = _without_source_maps(CompressedManifestStaticFilesStorage.patterns)


class PrivateStorage(FileSystemStorage):
    """A folder whose files have no address: they are read only by the views that check who may have
    them (evidence downloads), never served from MEDIA_URL or by a web server."""

    def url(self, name):
        raise NotImplementedError("Private files have no address: serve them through their download page.")
