"""The domain: words, answers, speech, the coach and progress, as plain Python.

Nothing here imports the ASK SDK, Flask, boto3 or sqlite3 (import-linter checks it), so
every rule of the conversation can be read and tested without a request object.
"""
