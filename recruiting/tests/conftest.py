"""Every recruiting test keeps its CV files in a temporary CV_DOWNLOAD_DIR."""

import pytest


@pytest.fixture(autouse=True)
def _cv_files_in_tmp(cv_dir):
    return cv_dir
