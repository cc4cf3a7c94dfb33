"""Deadlines (to come): the scheduler that turns passing deadlines into escalations."""
