"""A property over random histories: roster imports (changed phones, corrected names, removals,
re-additions, add and replace), enrolments, unbindings, votes and agreements on two messengers.
For every person: at most one vote per ballot and one agreement per proposal, and the turnout is
the number of distinct people who voted.

A person's details change in one of the three only (their phone, or the spelling of their name),
as the roster rule expects: any two versions of a person agree on two of name, birth date and
phone."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import UTC, date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from bot import ballots, enrolment, privacy, proposals
from bot.commands.ballots import CastVote, CreateBallot, read_ballot
from bot.commands.proposals import Agree, ScreenProposal, SubmitProposal
from bot.dispatch import account_for
from bot.identity import lookup_key
from bot.models import ChannelAccount, Community, Resident
from bot.models.ballot import Ballot
from bot.models.proposal import Proposal
from bot.roster import ADD, REPLACE, RosterEntry, apply_plan, plan_roster
from tests import factories
from tests.ballot_helpers import app_keys

PEOPLE = 4
NAMES = ["김민수", "이영희", "박지훈", "최수아"]
CORRECTED = ["김민서", "이영이", "박지운", "최수하"]
BIRTHS = [date(1952, 3, 15), date(1948, 11, 2), date(1985, 7, 30), date(1990, 5, 5)]
CHANNELS = ("kakao", "telegram")
_examples = itertools.count()

person = st.integers(min_value=0, max_value=PEOPLE - 1)
channel = st.sampled_from(CHANNELS)
operation = st.one_of(
    st.tuples(st.just("import"), st.sampled_from([ADD, REPLACE]),
              st.lists(st.booleans(), min_size=PEOPLE, max_size=PEOPLE),
              st.none() | person, st.integers(min_value=0, max_value=9999)),
    st.tuples(st.just("enrol"), person, channel),
    st.tuples(st.just("unbind"), person, channel),
    st.tuples(st.just("vote"), person, channel),
    st.tuples(st.just("agree"), person, channel),
)


class World:
    """The people as they really are, and what Maeul recorded for each."""

    def __init__(self, db, app_settings, example: int) -> None:
        self.db, self.settings, self.example = db, app_settings, example
        self.now = datetime.now(UTC)
        self.names = list(NAMES)
        self.phones = [f"{1000 + n * 1111}" for n in range(PEOPLE)]
        self.changes_name = [n % 2 == 1 for n in range(PEOPLE)]  # the others change phones
        self.votes: Counter = Counter()
        self.agreements: Counter = Counter()
        with db.session() as session:
            community = Community(slug=f"prop-{example}", name=f"속성동 {example}")
            session.add(community)
            session.flush()
            self.community_id = community.id
            ballot = ballots.create(session, app_keys(), community, read_ballot(CreateBallot, {
                "title": "속성 투표", "opens_at": (self.now - timedelta(hours=1)).isoformat(),
                "closes_at": (self.now + timedelta(days=1)).isoformat(),
                "items": [{"title": "예산", "kind": "yes_no"}]}, community, self.now), "test",
                self.now)
            self.ballot_id = ballot.id
            author = factories.resident(session, community)
            proposal = proposals.submit(session, author, SubmitProposal(title="가로등", content="밝게 해 주세요.", field="welfare"),
                                        "kakao", self.now)
            proposals.screen(session, proposal, ScreenProposal(decision="approve"), "test", self.now)
            self.proposal_id = proposal.id

    def entry(self, n: int) -> RosterEntry:
        return RosterEntry(n + 2, self.names[n], BIRTHS[n], self.phones[n])

    def account(self, session, n: int, channel_name: str) -> ChannelAccount:
        """Person n's own account on that messenger (one each, for ever)."""
        return account_for(session, channel_name, f"p{self.example}-{n}")

    def run(self, op: tuple) -> None:
        with self.db.session() as session:
            community = session.get(Community, self.community_id)
            if op[0] == "import":
                self._import(session, community, *op[1:])
                return
            kind, n, channel_name = op
            account = self.account(session, n, channel_name)
            if kind == "enrol":
                self._enrol(session, community, account, n)
            elif kind == "unbind":
                if account.resident is not None:
                    enrolment.unbind(session, account.resident, channel_name, "test")
            elif account.resident is not None:
                self._take_part(session, kind, account, n, channel_name)

    def _import(self, session, community, mode, present, changed, digits) -> None:  # noqa: ANN001
        if changed is not None:
            if self.changes_name[changed]:
                self.names[changed] = (CORRECTED[changed] if self.names[changed]
                                       == NAMES[changed] else NAMES[changed])
            else:
                self.phones[changed] = f"{digits:04d}"
        entries = [self.entry(n) for n in range(PEOPLE) if present[n]]
        if not entries:
            return
        plan = plan_roster(session, community, entries, self.settings["IDENTITY_PEPPER"], mode)
        if not plan.problems:
            apply_plan(session, community, plan, self.now)

    def _enrol(self, session, community, account, n: int) -> None:  # noqa: ANN001
        if account.resident_id is not None:
            return
        pepper = self.settings["IDENTITY_PEPPER"]
        if account.consent_version is None:  # agreed once, as in the chat
            privacy.give_consent(session, account, community, self.settings, self.now)
        outcome = enrolment.enrol_by_details(
            session, self.settings, account, community,
            lookup_key(pepper, self.names[n], BIRTHS[n]), self.phones[n], self.now)
        assert outcome.status != enrolment.NO_CONSENT

    def _take_part(self, session, kind: str, account, n: int, channel_name: str) -> None:  # noqa: ANN001
        if kind == "vote":
            outcome = ballots.submit(session, app_keys(), session.get(Ballot, self.ballot_id),
                                     account.resident, channel_name, CastVote(picks={"1": [1]}),
                                     self.now)
            self.votes[n] += outcome.status == ballots.RECORDED
        elif kind == "agree":
            outcome = proposals.agree(session, session.get(Proposal, self.proposal_id),
                                      account.resident, Agree(kind="agree"), channel_name,
                                      self.now)
            self.agreements[n] += outcome.status == proposals.RECORDED


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(operation, min_size=1, max_size=30))
def test_one_person_one_vote_and_one_agreement_whatever_happens(db, settings, history):
    world = World(db, settings, next(_examples))
    world.run(("import", ADD, [True] * PEOPLE, None, 0))
    for op in history:
        world.run(op)
    assert all(count <= 1 for count in world.votes.values()), world.votes
    assert all(count <= 1 for count in world.agreements.values()), world.agreements
    with db.session() as session:
        ballot = session.get(Ballot, world.ballot_id)
        turnout = ballots.turnout(session, ballot)
        residents = session.scalars(select(Resident.id).where(
            Resident.community_id == world.community_id)).all()
    voted = sum(1 for count in world.votes.values() if count)
    assert turnout["participants"] == voted
    assert len(residents) <= PEOPLE + 1, "one row a person (and the proposal's author)"
