"""The clock's jobs, in the order one tick runs them (each domain keeps its jobs in its own
`scheduler/*_jobs.py`; a new job is added here)."""

from __future__ import annotations

from scheduler import (
    agenda_jobs,
    ballot_jobs,
    band_jobs,
    console_jobs,
    enrolment_jobs,
    privacy_jobs,
    proposal_jobs,
)

JOBS = (
    ballot_jobs.close_due,
    ballot_jobs.announce_and_remind,
    ballot_jobs.wipe_closed_drafts,
    band_jobs.poll,
    console_jobs.forget_expired,
    enrolment_jobs.forget_abandoned,
    privacy_jobs.destroy_expired,
    proposal_jobs.expire_due,
    proposal_jobs.deadlines,
    agenda_jobs.overdue,
)
