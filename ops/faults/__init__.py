"""Fault tests: a PostgreSQL restart under load, a task worker killed mid-job and a database
connection dropped mid-request (see docs/fault-tests.md)."""
