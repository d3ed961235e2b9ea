"""Test results over time: `make report` (history and dashboard), `make alert-issues` and
`make weekly-report` (GitHub issues). Entry point: `python -m tools.report`."""
