"""VAT numbers per country (python-stdnum's vatin), no database needed."""
import pytest

from backend.errors import DomainError
from backend.services.vat import check_vat, require_valid_vat


@pytest.mark.parametrize("country, number, normalized", [
    ("FI", "FI20774740", "FI20774740"),
    ("FI", "2077474-0", "FI20774740"),            # the Y-tunnus written with its hyphen
    ("EE", "EE 100 931 558", "EE100931558"),
    ("NO", "NO 995 525 828 MVA", "NO995525828MVA"),
    ("NO", "995525828", "NO995525828MVA"),       # bare org.nr: MVA added
    ("NO", "995 525 828", "NO995525828MVA"),
    ("NO", "no995525828", "NO995525828MVA"),
    ("LT", "LT119511515", "LT119511515"),         # 9 digits (legal entity)
    ("LT", "100001919017", "LT100001919017"),     # 12 digits (temporary registration)
    ("SE", "SE 556036-0793 01", "SE556036079301"),
    ("GB", "GB980780684", "GB980780684"),
    ("IE", "6388047V", "IE6388047V"),
    ("fi", "fi20774740", "FI20774740"),
])
def test_valid_numbers_are_normalised(country, number, normalized):
    result = check_vat(country, number)
    assert result.valid and result.normalized == normalized


@pytest.mark.parametrize("country, number", [
    ("FI", "FI20774741"),        # wrong check digit
    ("FI", "SE556036079301"),    # another country's number
    ("EE", "10093155"),          # 8-digit registrikood is not the KMKR number
    ("NO", "995525827"),         # org.nr with a bad check digit: no MVA magic
    ("LT", "LT1195115150"),      # 10 digits
    ("LT", "LT100001919018"),    # 12 digits, bad check digit
    ("SE", "SE556036079302"),    # must end in 01
    ("FI", ""),
    ("FI", "🙂" * 5),
    ("FI", "1" * 10_000),
])
def test_invalid_numbers_name_the_expected_format(country, number):
    result = check_vat(country, number)
    assert not result.valid and result.normalized is None
    assert result.expected_format.startswith(country.upper())
    assert check_vat(country, result.example).valid  # the example we show is itself valid


def test_expected_formats_per_market():
    assert check_vat("NO", "x").expected_format == "NO123456789MVA"
    assert check_vat("LT", "x").expected_format == "LT123456789 / LT123456789012"
    assert check_vat("SE", "x").expected_format == "SE123456789001"


def test_require_valid_vat_raises_with_code_and_format():
    with pytest.raises(DomainError) as err:
        require_valid_vat("EE", "123")
    assert err.value.code == "vat_invalid" and err.value.extra["expected_format"] == "EE123456789"


def test_unknown_country_is_a_clear_error():
    with pytest.raises(DomainError) as err:
        check_vat("ZZ", "123")
    assert err.value.code == "country_not_supported"
