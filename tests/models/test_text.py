from windykacja.models.text import fold, like_pattern


def test_fold_ignores_case_and_polish_marks():
    assert fold("ŁÓDŹ") == fold("Łódź") == fold("lodz") == "lodz"
    assert fold("Zażółć Gęślą Jaźń") == "zazolc gesla jazn"


def test_like_pattern_escapes_wildcards():
    assert like_pattern("50%_off\\") == "%50\\%\\_off\\\\%"
