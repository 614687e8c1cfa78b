"""The clock: periodic jobs that read due work from the database (the scheduler keeps no state)."""
