"""The ASK SDK glue: the skill object, request handlers, interceptors and the screen.

Handlers read the request through `turn.py`, call plain domain code and turn its `Reply`
into an SDK response; interceptors load and save progress through `skill.storage`.
"""
