"""Eligibility (the one rule every flow calls), residents listing, lookup, and the enrolment race."""

from __future__ import annotations

import threading
from datetime import date

from sqlalchemy import select

from bot.eligibility import (
    MOVED_OUT,
    NOT_VERIFIED,
    OTHER_COMMUNITY,
    TOO_YOUNG,
    age_on,
    ineligibility,
)
from bot.enrolment import BOUND, NO_MATCH, enrol_by_details
from bot.identity import identity_key, lookup_key
from bot.models import ChannelAccount, Community, utcnow
from bot.privacy import give_consent
from tests.conftest import requires_postgres
from tests.dialogue import CONSENT, KakaoChat, converse
from tests.factories import bound_account, resident, verified
from tests.identity_helpers import import_roster, roster_csv


def test_eligibility_rules(db, community):
    with db.session() as session:
        other = Community(slug="jichuk", name="지축동")
        session.add(other)
        session.flush()
        closing = date(2026, 12, 10)
        ok = verified(session, community, "ok", birth_date=date(1952, 3, 15))
        unbound = bound_account(session, None, "unbound")
        moved = verified(session, community, "moved", moved_out=True)
        young = verified(session, community, "young", birth_date=date(2008, 12, 11))
        just = verified(session, community, "just", birth_date=date(2008, 12, 10))
        assert ineligibility(ok, community, closing) is None
        assert ineligibility(unbound, community, closing) == NOT_VERIFIED
        assert ineligibility(ok, other, closing) == OTHER_COMMUNITY
        assert ineligibility(moved, community, closing) == MOVED_OUT
        assert ineligibility(young, community, closing) == TOO_YOUNG
        assert ineligibility(just, community, closing) is None  # 18 on the closing day
        assert ineligibility(ok.resident, community, closing) is None
        assert age_on(date(2008, 2, 29), date(2026, 2, 28)) == 17


def test_residents_list_counts_and_lookup(client, admin_headers, community):
    import_roster(client, admin_headers, roster_csv())
    converse(KakaoChat(client, "lee"), [("인증", CONSENT), ("1", "본인 인증"), ("1", "성함"), ("이영희", "생년월일"),
                                        ("481102", "4자리"), ("5678", "인증되었어요")])
    url = "/api/v1/communities/pungsan/residents"
    everyone = client.get(url, headers=admin_headers).get_json()
    assert everyone["count"] == 4 and everyone["totals"] == {"residents": 4, "verified": 1}
    assert {r["masked_name"] for r in everyone["items"]} == {"김*수", "이*희", "박*훈", "최*아"}
    assert all(set(r) == {"id", "masked_name", "birth_year", "moved_out", "verified_channels"}
               for r in everyone["items"])
    done = client.get(url + "?verified=true", headers=admin_headers).get_json()
    assert done["count"] == 1 and done["items"][0]["verified_channels"] == ["kakao"]
    assert done["items"][0]["birth_year"] == 1948
    assert client.get(url + "?verified=false", headers=admin_headers).get_json()["count"] == 3
    found = client.get(url + "?name=김민수&birth_date=1952-03-15", headers=admin_headers)
    assert [r["masked_name"] for r in found.get_json()["items"]] == ["김*수"]
    missing = client.get(url + "?name=김민수&birth_date=1952-03-16", headers=admin_headers)
    assert missing.get_json()["count"] == 0
    assert client.get(url + "?name=김민수", headers=admin_headers).status_code == 400
    assert client.get(url + "?verified=maybe", headers=admin_headers).status_code == 400


def test_codes_for_unknown_or_other_residents_are_404(client, admin_headers, community, db):
    with db.session() as session:
        other = Community(slug="jichuk", name="지축동")
        session.add(other)
        session.flush()
        stranger = resident(session, other)
        stranger_id = stranger.id
    url = f"/api/v1/communities/pungsan/residents/{stranger_id}/codes"
    assert client.post(url, headers=admin_headers).status_code == 404
    assert client.post("/api/v1/communities/pungsan/residents/999/codes",
                       headers=admin_headers).status_code == 404


@requires_postgres
def test_two_accounts_enrolling_as_one_resident_at_once_bind_exactly_one(db, settings, community):
    with db.session() as session:
        pepper = settings["IDENTITY_PEPPER"]
        key = identity_key(pepper, "김민수", date(1952, 3, 15), "1234")
        lookup = lookup_key(pepper, "김민수", date(1952, 3, 15))
        row = resident(session, community, key=key)
        row.lookup_key = lookup
        resident_id = row.id
        racers = [bound_account(session, None, f"racer-{i}") for i in range(8)]
        for racer in racers:  # each agreed to the consent text, as in the chat
            give_consent(session, racer, None, settings, utcnow())
        account_ids = [racer.id for racer in racers]
    barrier = threading.Barrier(len(account_ids))
    outcomes: list[str] = []

    def enrol(account_id: int) -> None:
        with db.session() as session:
            account = session.get(ChannelAccount, account_id)
            barrier.wait()
            outcomes.append(enrol_by_details(session, settings, account, None, lookup, "1234",
                                             utcnow()).status)

    threads = [threading.Thread(target=enrol, args=(a,)) for a in account_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # The others hear what a wrong guess hears (and it counts against them).
    assert sorted(outcomes) == [BOUND] + [NO_MATCH] * (len(account_ids) - 1)
    with db.session() as session:
        bound = session.scalars(select(ChannelAccount.external_id).where(
            ChannelAccount.resident_id == resident_id)).all()
        assert len(bound) == 1
