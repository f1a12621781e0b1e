"""Static files for production: hashed names and compressed copies, served by WhiteNoise."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


def _without_source_maps(patterns):
    def keeps(pattern) -> bool:
        return "sourceMappingURL" not in (pattern if isinstance(pattern, str) else pattern[0])

    return tuple((glob, tuple(filter(keeps, found))) for glob, found in patterns)


class StaticStorage(CompressedManifestStaticFilesStorage):
    """The vendored Bootstrap and Chart.js end with a sourceMappingURL to map files we do not ship;
    rewriting those references would fail, so they are left as they are (a browser just finds no map)."""

    patterns = _without_source_maps(CompressedManifestStaticFilesStorage.patterns)
