"""The store saves answers through the one strict parse (issue #17): what a file may not hold,
the store does not save either, and the refusal names the field."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import answers

from desktop_app.rules import default_protocol
from desktop_app.store import (
    BadInputError,
    Store,
    User,
    answers_of,
    register_candidate,
    save_answer,
    start_screening,
)


def _screening(store: Store, user: User) -> int:
    candidate = register_candidate(store, user, initials="AB")
    return start_screening(store, user, candidate.id, default_protocol()).id


@pytest.mark.parametrize(
    ("question", "value", "words"),
    [
        ("consent_given", "yes", "true or false"),
        ("consent_given", 1, "true or false"),
        ("consent_given", 1.0, "true or false"),
        ("screening_date", 0, "YYYY-MM-DD"),  # was saved as 1970-01-01, exported as Value="0"
        ("screening_date", 1678233600, "YYYY-MM-DD"),
        ("screening_date", "2023-03-08T00:00:00", "no time of day"),
        ("serum_igg4_value", "8.0", "is not a number"),
        ("serum_igg4_value", float("nan"), "finite number"),
        ("acr_igg4_igg_ratio", "Indeterminate", "did you mean 'indeterminate'?"),
        ("sex", "Male", "did you mean 'male'?"),
    ],
)
def test_the_store_refuses_what_the_strict_parse_refuses(
    site_and_user: tuple[Store, User], question: str, value: Any, words: str
) -> None:
    store, user = site_and_user
    screening = _screening(store, user)
    with pytest.raises(BadInputError) as info:
        save_answer(store, user, screening, question, value)
    assert info.value.field == question
    assert words in info.value.problem
    assert question not in answers_of(store, screening)  # nothing changed


def test_the_store_saves_what_a_file_may_hold(site_and_user: tuple[Store, User]) -> None:
    store, user = site_and_user
    screening = _screening(store, user)
    for question, value in answers().items():
        save_answer(store, user, screening, question, value)
    assert answers_of(store, screening) == answers()


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"chest_imaging": "active_tb", "tb_conclusion": "none"}, "tb_imaging_contradicts_conclusion"),
        ({"sex": "male", "pregnancy_test": "positive"}, "pregnancy_answers_for_male"),
        ({"other_medications": [{"name": "Benlysta", "classification": "biologic",
                                 "last_dose_date": "2021-01-01"}]}, "prior_study_drug"),
    ],
)  # fmt: skip
def test_a_contradiction_must_be_acknowledged_before_signing(
    site_and_user: tuple[Store, User], changes: dict[str, Any], code: str
) -> None:
    from helpers import TEST_PASSWORD, screened

    from desktop_app.store.signatures import acknowledge_warning, sign_screening

    store, user = site_and_user
    screening = screened(store, user, default_protocol(), answers(**changes))
    with pytest.raises(BadInputError) as info:
        sign_screening(store, user, screening, TEST_PASSWORD)
    assert code in info.value.problem
    acknowledge_warning(store, user, screening, code)
    assert sign_screening(store, user, screening, TEST_PASSWORD) > 0
