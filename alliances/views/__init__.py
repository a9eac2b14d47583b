"""Pages of the alliances app, one module per concern: lists, the stepped application, detail pages
(agreement download, version differences) and invitations."""
