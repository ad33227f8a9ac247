"""E-mail notifications to applicants, delivered from the outbox through SMTP."""
