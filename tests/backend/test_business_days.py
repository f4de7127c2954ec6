"""Expected decision date = 2 business days in the applicant's calendar."""
from datetime import date, datetime

import pytest

from backend.services.business_days import decision_due, is_business_day


@pytest.mark.parametrize("submitted, country, due", [
    # The example the bot uses: Friday 20 Nov 2026 → "by Tuesday 24 November".
    (datetime(2026, 11, 20, 10), "FI", date(2026, 11, 24)),
    # Friday before Midsummer in Estonia: Victory Day (23 Jun) and Midsummer Day (24 Jun) are closed.
    (datetime(2026, 6, 19, 9), "EE", date(2026, 6, 25)),
    # The same Friday is Midsummer Eve in Finland and Sweden: counting starts Monday.
    (datetime(2026, 6, 19, 9), "FI", date(2026, 6, 23)),
    (datetime(2026, 6, 19, 9), "SE", date(2026, 6, 23)),
    # Thursday before Midsummer: Friday is closed in FI/SE but a working day in NO and GB.
    (datetime(2026, 6, 18, 9), "SE", date(2026, 6, 23)),
    (datetime(2026, 6, 18, 9), "FI", date(2026, 6, 23)),
    (datetime(2026, 6, 18, 9), "NO", date(2026, 6, 22)),
    (datetime(2026, 6, 18, 9), "GB", date(2026, 6, 22)),
    # Christmas Eve is closed in FI, LT and EE, not in GB.
    (datetime(2026, 12, 22, 9), "FI", date(2026, 12, 28)),
    (datetime(2026, 12, 22, 9), "LT", date(2026, 12, 28)),
    (datetime(2026, 12, 22, 9), "GB", date(2026, 12, 24)),
    # Sweden closes on New Year's Eve; GB does not.
    (datetime(2026, 12, 29, 9), "SE", date(2027, 1, 4)),
    (datetime(2026, 12, 29, 9), "GB", date(2026, 12, 31)),
    # Submitted on a Saturday: Monday and Tuesday.
    (datetime(2026, 11, 21, 12), "NO", date(2026, 11, 24)),
])
def test_two_business_days(submitted, country, due):
    assert decision_due(submitted, country) == due


def test_submission_day_is_the_applicants_local_day():
    # 23:30 UTC on Thursday is already Friday in Helsinki, still Thursday in London.
    late_thursday = datetime(2026, 11, 19, 23, 30)
    assert decision_due(late_thursday, "FI") == date(2026, 11, 24)
    assert decision_due(late_thursday, "GB") == date(2026, 11, 23)


def test_operator_can_fix_the_calendar_country():
    assert decision_due(datetime(2026, 6, 18, 9), "GB", calendar="FI") == date(2026, 6, 23)


def test_calendars():
    assert not is_business_day("FI", date(2026, 12, 24))
    assert is_business_day("GB", date(2026, 12, 24))
    assert not is_business_day("NO", date(2026, 5, 17))  # Constitution Day (a Sunday in 2026 anyway)
    assert not is_business_day("NO", date(2026, 12, 24))
    assert not is_business_day("SE", date(2026, 6, 19))
    assert is_business_day("NO", date(2026, 6, 19))
