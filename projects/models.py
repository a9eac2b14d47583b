"""Alliance projects: filings, milestones, progress reports, change requests and outputs."""
