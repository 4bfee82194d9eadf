"""Shared paths and a cleaner instance for the tests."""

from __future__ import annotations

import json

import jsonschema
import pytest

from cleaner.pipeline.cleaner import Cleaner
from cleaner.pipeline.record import record_schema


@pytest.fixture(scope="session")
def cleaner() -> Cleaner:
    return Cleaner()


@pytest.fixture(scope="session")
def validate_record():
    validator = jsonschema.Draft202012Validator(record_schema())

    def validate(record: dict) -> dict:
        validator.validate(record)
        json.dumps(record)  # must be plain JSON
        return record

    return validate
