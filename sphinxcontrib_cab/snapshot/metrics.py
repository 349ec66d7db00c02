"""The metrics a page can show, and the one written definition of each derived quantity."""

from __future__ import annotations

DEFINITIONS: dict[str, str] = {
    "cell": "A cell is every rerun of one canonical key: the same TUI, behavior mode, model, task, "
    "plugin stack, TUI image, model endpoint, sampling profile and task date.",
    "mean": "Each axis of a cell is the mean over the reruns that recorded it; a rerun that did "
    "not "
    "record the axis is left out, and an axis no rerun recorded is shown as a dash, never as 0. "
    "A refusal score of 'n/a' (a task that expects no refusal) is left out the same way. Failed "
    "runs (rate limit, handshake failure, timeout) keep their recorded scores, usually 0.",
    "interval": "The 95% interval is a Student-t confidence interval for the mean: mean plus or "
    "minus t(0.975, n-1) times the sample standard deviation divided by the square root of n, "
    "with n the number of reruns that recorded the axis (t = 4.303 for three reruns), clipped to "
    "the axis's possible range. With a single value there is no interval.",
    "headline": "The headline score of a cell is the mean of its runs' composite scores (0 to 1, "
    "higher is better), with its 95% interval.",
    "ships": "Ships is the share of a cell's runs whose grader passed (the mean of the pass axis, "
    "0 to 1), with its 95% interval: how often the agent ships a working change.",
    "stays": "Stays is the share of a cell's reruns that agree with the cell's majority pass/fail "
    "outcome (from 0.5 to 1; 1 means every rerun ended the same way): how consistently the "
    "result stays put when the same cell is run again. It has no interval.",
    "costs": "Costs is the mean wall-clock time of a cell's runs in seconds (lower is better), "
    "with its 95% interval: what the agent costs in waiting time, including failed runs.",
    "overview": "An overview row (for example one TUI and one model) takes the cells it groups, "
    "averages their headline, Ships, Stays and Costs means with equal weight per cell, and gives "
    "a 95% Student-t interval over those cell means.",
}
"""Name -> the one written definition of each derived quantity, rendered by the docs."""
