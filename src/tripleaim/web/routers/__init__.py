"""Thin routers: parse, call a service, render."""
