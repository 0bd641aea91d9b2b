"""The foundation every layer stands on: typed settings, errors, text helpers, run data
and the private store. Nothing here imports a stage (``tasks``), a flow or the CLI."""
