from regframe.core.text import natural_key


def test_numbers_inside_ids_and_references_sort_as_numbers_and_letters_without_case():
    ids = ["chr2015.r12", "CHR2015.r9", "chr2015.r10.a", "chr2015.r10", "reg 2", "reg 12(1)", "reg 12"]
    assert sorted(ids, key=natural_key) == [
        "CHR2015.r9", "chr2015.r10", "chr2015.r10.a", "chr2015.r12", "reg 2", "reg 12", "reg 12(1)"]
