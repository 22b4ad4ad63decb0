"""Pure tests of the typed configuration helpers."""

import pytest

from jamsos.core.env import ConfigError, env_bool, env_choice, env_int, env_list, env_str


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", True),
        ("true", True),
        ("YES", True),
        ("on", True),
        ("0", False),
        ("False", False),
        ("no", False),
        ("off", False),
    ],
)
def test_env_bool_accepts_the_usual_spellings(raw, expected):
    assert env_bool({"X": raw}, "X", not expected) is expected


def test_env_bool_default_when_unset_or_blank():
    assert env_bool({}, "X", True) is True
    assert env_bool({"X": "  "}, "X", False) is False


def test_env_bool_refuses_other_words_naming_the_variable():
    with pytest.raises(ConfigError, match=r"^JAMSOS_DEBUG: expected one of true/false") as exc:
        env_bool({"JAMSOS_DEBUG": "maybe"}, "JAMSOS_DEBUG", False)
    assert exc.value.name == "JAMSOS_DEBUG"


def test_env_int_parses_and_checks_bounds():
    assert env_int({"N": "42"}, "N", 1, minimum=0, maximum=100) == 42
    assert env_int({}, "N", 7) == 7
    with pytest.raises(ConfigError, match=r"expected a whole number, got '4\.5'"):
        env_int({"N": "4.5"}, "N", 1)
    with pytest.raises(ConfigError, match="must be at least 0, got -1"):
        env_int({"N": "-1"}, "N", 1, minimum=0)
    with pytest.raises(ConfigError, match="must be at most 10, got 11"):
        env_int({"N": "11"}, "N", 1, maximum=10)


def test_env_list_and_str_and_choice():
    assert env_list({"H": "a, b,,c "}, "H", ()) == ["a", "b", "c"]
    assert env_list({}, "H", ("x",)) == ["x"]
    assert env_str({"S": " v "}, "S", "d") == "v"
    assert env_str({}, "S", "d") == "d"
    assert env_choice({"C": "b"}, "C", "a", ("a", "b")) == "b"
    with pytest.raises(ConfigError, match="must be one of a, b, got 'z'"):
        env_choice({"C": "z"}, "C", "a", ("a", "b"))
