from regframe.core.text import count_of, natural_key


def test_numbers_inside_ids_and_references_sort_as_numbers_and_letters_without_case():
    ids = ["chr2015.r12", "CHR2015.r9", "chr2015.r10.a", "chr2015.r10", "reg 2", "reg 12(1)", "reg 12"]
    assert sorted(ids, key=natural_key) == [
        "CHR2015.r9", "chr2015.r10", "chr2015.r10.a", "chr2015.r12", "reg 2", "reg 12", "reg 12(1)"]


def test_a_count_of_a_total_reads_as_a_whole_where_it_is_one():
    words = [count_of(count, total, "child", "children") for count, total in
             [(1, 1), (0, 1), (2, 2), (1, 2), (5, 5), (2, 5), (0, 5)]]
    assert words == ["the one child", "0 of 1 child", "both children", "1 of 2 children", "all 5 children",
                     "2 of 5 children", "0 of 5 children"]
