"""Every check of the `golikov.*` catalogue entries gives the verdict the catalogue records."""

import pytest
from catalogue_support import assert_expected, check_params


@pytest.mark.parametrize(("entry_id", "check_name"), check_params("golikov"))
def test_check(entry_id: str, check_name: str, check_settings) -> None:
    assert_expected(entry_id, check_name, check_settings)
