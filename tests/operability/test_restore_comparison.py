from operability.backups import compare_inventories


def _inventory(**changes):
    inventory = {
        "tables": {"accounts_user": 12, "reviews_officialdocument": 6},
        "files": {"official/2025/a.pdf": "aa", "agreements/1/b.pdf": "bb"},
        "recorded_hashes": {"checked": 2, "mismatched": []},
    }
    inventory.update(changes)
    return inventory


def test_compare_identical_inventories_finds_nothing():
    assert compare_inventories(_inventory(), _inventory()) == []


def test_compare_names_rows_files_and_hashes_that_differ():
    found = _inventory(
        tables={"accounts_user": 11, "reviews_officialdocument": 6, "extra_table": 0},
        files={"official/2025/a.pdf": "zz", "stray.txt": "cc"},
        recorded_hashes={"checked": 2, "mismatched": ["reviews.OfficialDocument 3: official/2025/a.pdf"]},
    )

    assert compare_inventories(_inventory(), found) == [
        "table accounts_user: 12 rows backed up, 11 restored",
        "table extra_table: None rows backed up, 0 restored",
        "file agreements/1/b.pdf: missing",
        "file official/2025/a.pdf: checksum differs",
        "file stray.txt: not in the backup",
        "recorded hash does not match its file: reviews.OfficialDocument 3: official/2025/a.pdf",
    ]
