"""Inputs (files, folders, gzip, WARC archives, stdin) and outputs (the writers and the
one atomic writer).
"""
