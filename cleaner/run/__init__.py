"""The run machinery: its settings (config: options over the configuration file),
what a batch runs (spec), what it did (summary), the progress bar, Ctrl-C, and the
executors on one base (executor.py): local processes and Dask.
"""
