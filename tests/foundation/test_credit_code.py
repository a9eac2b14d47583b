import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from alliances import credit_code

# A widely published example code, a real public-institution code, and one built with the algorithm.
VALID = ["91350100M000100Y43", "91370303MA3C6XU48A", "12100000400000624D"]


@pytest.mark.parametrize("code", VALID)
def test_valid_codes_pass(code):
    assert credit_code.problems(code) == []


def test_lower_case_and_spaces_are_normalised():
    assert credit_code.is_valid(" 91350100m000100y43 ")


def test_wrong_length_names_the_length():
    [message] = credit_code.problems("91350100M000100Y4")
    assert "18" in message
    assert "17" in message


def test_wrong_check_character_names_the_expected_one():
    [message] = credit_code.problems("91350100M000100Y44")
    assert "“3”" in message
    assert "“4”" in message


def test_forbidden_letter_names_its_position():
    found = credit_code.problems("91350100M0001O0Y43")
    assert any("14" in message and "“O”" in message for message in found)


def test_division_code_must_be_digits():
    code = credit_code.complete("91A50100M000100Y4")
    assert any("3" in m and "8" in m for m in credit_code.problems(code))


def test_validator_raises_with_every_problem():
    with pytest.raises(ValidationError) as raised:
        credit_code.validate_credit_code("91350100M000100Y44")
    assert [error.code for error in raised.value.error_list] == ["invalid_credit_code"]
    assert "“3”" in raised.value.messages[0]


@given(st.text(alphabet=credit_code.ALPHABET, min_size=9, max_size=9))
def test_completed_codes_always_validate(body):
    assert credit_code.is_valid(credit_code.complete("91370303" + body))


@given(st.text(alphabet=credit_code.ALPHABET, min_size=9, max_size=9), st.integers(min_value=0, max_value=16))
def test_any_single_substitution_is_caught(body, position):
    code = credit_code.complete("91370303" + body)
    replacement = next(c for c in credit_code.ALPHABET if c != code[position] and (position not in range(2, 8) or c.isdigit()))
    mutated = code[:position] + replacement + code[position + 1:]
    assert not credit_code.is_valid(mutated)
