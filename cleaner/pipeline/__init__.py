"""The stages of the pipeline, one module each, run in this order by `Cleaner`
(pipeline/cleaner.py): decode -> extract (HTML: prune, blocks, combine) -> segment ->
rules -> heuristics -> decide -> metadata -> record.
"""
