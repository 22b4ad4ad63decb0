"""Notifications: an outbox of messages (OTP codes, reminders) and the adapters that send them."""
