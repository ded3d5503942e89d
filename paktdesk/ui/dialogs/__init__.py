"""Dialogs built for keyboard use: each one collects input and calls one workspace use case."""
