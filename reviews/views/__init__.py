"""Pages of the review workflow: officers, experts, department reviewers, and the public pages."""
