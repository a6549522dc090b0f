import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    # Uploaded guideline files go to a temporary directory, not the project's media/.
    settings.MEDIA_ROOT = tmp_path / "media"
