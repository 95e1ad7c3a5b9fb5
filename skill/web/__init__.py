"""The self-hosted web service: the Flask app and Alexa request verification.

`skill.web:create_app()` is the WSGI app factory gunicorn serves.
"""

from skill.web.app import ConfigurationError, create_app

__all__ = ["ConfigurationError", "create_app"]
