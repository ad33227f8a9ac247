"""VNeID-style national identity login (OpenID Connect): the shared JOSE helpers, a simulator
provider (a real HTTP server) and its pytest fixture. The client lives in motcua.accounts.oidc."""
