"""Plans, tasks and periodic reports (C15)."""
