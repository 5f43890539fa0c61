"""Plans of approach, sign-off, published summaries, documents (management letter, start memo,
communication plan), process-watch signals, progress report."""
