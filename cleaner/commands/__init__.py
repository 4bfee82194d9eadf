"""The commands: the typer app (cli.py) and what `check`, `learn`, `report` and
`rule` do.
"""
