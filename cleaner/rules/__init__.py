"""Rule packs: the loader and matcher (loader.py), the screen that skips most prose
lines at once (screen.py), CSS selectors (selectors.py) and the HTML prune stage that
applies selector rules (prune.py).
"""
