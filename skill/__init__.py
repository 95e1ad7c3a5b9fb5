"""Ankle Coach: an Alexa skill about ankle popping, with a hands-free exercise coach."""

__version__ = "0.1.0"
