"""DynamoDB on Lambda, through the ASK SDK's own DynamoDbAdapter.

Imported only when the DynamoDB backend is chosen. The SDK adapter builds a boto3
resource as a default argument at import time, which fails without an AWS region, so
the import gets a placeholder region and the real resource is passed in explicitly.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import boto3
from ask_sdk_core.exceptions import PersistenceException
from ask_sdk_model import RequestEnvelope
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from skill.storage.keys import user_key

REV = "_rev"


@contextmanager
def _region_for_import() -> Iterator[None]:
    if os.environ.get("AWS_DEFAULT_REGION"):  # botocore reads this one only, not AWS_REGION
        yield
        return
    os.environ["AWS_DEFAULT_REGION"] = "us-east-1"
    try:
        yield
    finally:
        os.environ.pop("AWS_DEFAULT_REGION", None)


with _region_for_import():
    from ask_sdk_dynamodb.adapter import DynamoDbAdapter


def to_dynamo(value: Any) -> Any:
    """boto3 refuses floats; DynamoDB numbers travel as Decimal."""
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, dict):
        return {k: to_dynamo(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_dynamo(v) for v in value]
    return value


def from_dynamo(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: from_dynamo(v) for k, v in value.items()}
    if isinstance(value, list):
        return [from_dynamo(v) for v in value]
    return value


class VersionedDynamoDbAdapter(DynamoDbAdapter):
    """The SDK adapter plus JSON-friendly numbers and a conditional save."""

    def get_attributes(self, request_envelope: RequestEnvelope) -> dict[str, Any]:
        return from_dynamo(super().get_attributes(request_envelope))

    def save_attributes(self, request_envelope: RequestEnvelope, attributes: dict) -> None:
        rev = int(attributes.get(REV, 0)) + 1
        super().save_attributes(request_envelope, to_dynamo({**attributes, REV: rev}))

    def save_if_unchanged(
        self,
        request_envelope: RequestEnvelope,
        attributes: dict,
        expected_rev: int,
        new_rev: int | None = None,
    ) -> bool:
        item = {
            self.partition_key_name: user_key(request_envelope),
            self.attribute_name: to_dynamo({**attributes, REV: new_rev or expected_rev + 1}),
        }
        if expected_rev == 0:
            condition, values = "attribute_not_exists(#pk)", None
            names = {"#pk": self.partition_key_name}
        else:
            condition = "#attrs.#rev = :rev"
            names = {"#attrs": self.attribute_name, "#rev": REV}
            values = {":rev": expected_rev}
        kwargs: dict[str, Any] = dict(
            Item=item, ConditionExpression=condition, ExpressionAttributeNames=names
        )
        if values:
            kwargs["ExpressionAttributeValues"] = values
        try:
            self.dynamodb.Table(self.table_name).put_item(**kwargs)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                return False
            raise PersistenceException(f"DynamoDB save failed: {error}") from error
        except BotoCoreError as error:
            raise PersistenceException(f"DynamoDB save failed: {error}") from error
        return True


def budget_config(budget_s: float) -> Config:
    """Timeouts and retries so one call, retry included, fits in the storage budget:
    two attempts of at most a fifth (connect) plus three tenths (read) of it each."""
    return Config(
        connect_timeout=max(0.05, budget_s * 0.2),
        read_timeout=max(0.1, budget_s * 0.3),
        retries={"total_max_attempts": 2, "mode": "standard"},
    )


class LazyResource:
    """Creates the boto3 resource on first use, so building the skill makes no AWS call."""

    def __init__(self, region: str, endpoint_url: str | None = None, budget_s: float = 1.0) -> None:
        self.region, self.endpoint_url, self.budget_s = region, endpoint_url, budget_s
        self._resource: Any = None

    def Table(self, name: str) -> Any:
        if self._resource is None:
            self._resource = boto3.resource(
                "dynamodb",
                region_name=self.region,
                endpoint_url=self.endpoint_url,
                config=budget_config(self.budget_s),
            )
        return self._resource.Table(name)


def dynamodb_adapter(
    table_name: str, region: str, endpoint_url: str | None = None, budget_s: float = 1.0
) -> VersionedDynamoDbAdapter:
    """An adapter on an existing table (the SAM template declares it; nothing is created here)."""
    return VersionedDynamoDbAdapter(
        table_name=table_name,
        partition_key_name="id",
        attribute_name="attributes",
        create_table=False,
        dynamodb_resource=LazyResource(region, endpoint_url, budget_s),
    )
