"""Use cases shared by the API, the pages and the CLI: the only code that writes.

Services add and flush; the request or the CLI command commits or rolls back once.
"""
