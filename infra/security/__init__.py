"""The web's security: bearer tokens, signed links, rate limits, the log of who looked at
which complaint, the redaction of logs, and how deep a JSON body may nest.
"""
