"""One in-memory AWS per test module, provisioned once from the same
declarations as the local stack and production, and put back between tests:
emptied for a test that asks for ``aws``, or reset to the seeded demo region
(snapshot taken the first time it is seeded) for a test that asks for
``region``.  Provisioning and seeding cost about 1.5 s; a reset costs a few
tens of milliseconds.

What a reset puts back: every DynamoDB item, every S3 object (and version),
every SQS message, the SNS messages sent, every Cognito user but the seeded
demo accounts (which keep their ids, so their tokens are signed once per
module), and the app's process caches."""
from __future__ import annotations

import os
from typing import Any

import boto3
from moto import mock_aws
from moto.core import DEFAULT_ACCOUNT_ID
from moto.sns.models import sns_backends

REGION = "ap-southeast-3"


class World:
    def __init__(self) -> None:
        import requests

        from chalicelib.adapters import aws as aws_adapter
        from chalicelib.auth import verifier
        from infra.local import provision, provision_user_pool

        self.mock = mock_aws()
        self.mock.start()
        aws_adapter.reset()
        verifier.KEYS.clear()
        # The pool's JWKS is fetched over HTTP; under mock_aws, moto answers
        # the `requests` library, so fetch with it (the local stack and AWS
        # are reached with urllib, see tests/test_local_stack.py).
        verifier.KEYS.fetch = lambda url: requests.get(url, timeout=5).json()
        self.session = boto3.session.Session()
        self.urls = provision(self.session, REGION)
        self.pool_id, self.client_id = provision_user_pool(self.session, REGION)
        os.environ["ADUAN_USER_POOL_ID"], os.environ["ADUAN_USER_POOL_CLIENT_ID"] = self.pool_id, self.client_id
        self.dynamodb = self.session.client("dynamodb", region_name=REGION)
        self.s3 = self.session.client("s3", region_name=REGION)
        self.sqs = self.session.client("sqs", region_name=REGION)
        self.cognito = self.session.client("cognito-idp", region_name=REGION)
        self.seeded: dict[str, list[dict[str, Any]]] | None = None
        # tables written since the last reset (transactions included): only those are compared and put back
        self.dirty: set[str] | None = None  # None: unknown, compare all
        self._last_wanted: Any = object()
        self._unwatch = _watch_writes(self)
        self.kept_users: set[str] = set()
        # the published boundary files of the seed and the scenes: their region items point at them
        self.kept_objects: set[tuple[str, str]] = set()
        self.tokens: dict[str, str] = {}
        self.scenes: dict[str, tuple[dict[str, list[dict[str, Any]]], Any]] = {}

    # --- between tests ---------------------------------------------------------

    def empty(self) -> None:
        self._reset(None)

    def reset_to_seed(self) -> None:
        if self.seeded is None:
            self._reset(None)
            self._seed()
        else:
            self._reset(self.seeded)

    def scene(self, name: str, build: Any) -> Any:
        """A state built once per module by ``build()`` on top of the seeded
        region (more regions, accounts, reports) and put back before every
        test that asks for it; returns what ``build`` returned.  Accounts
        ``build`` creates are kept, and tokens it puts in ``self.tokens``."""
        from chalicelib import resources

        if name in self.scenes:
            tables, result = self.scenes[name]
            self._reset(tables)
            return result
        self.reset_to_seed()
        result = build()
        for page in self.cognito.get_paginator("list_users").paginate(UserPoolId=self.pool_id):
            self.kept_users |= {user["Username"] for user in page["Users"]}
        self.kept_objects |= self._objects()
        tables = {table.name: list(self._scan(table.name)) for table in resources.TABLES}
        self._last_wanted, self.dirty = tables, set()
        self.scenes[name] = (tables, result)
        return result

    def _reset(self, tables: dict[str, list[dict[str, Any]]] | None) -> None:
        from chalicelib import resources

        self._tables_as(tables)
        bucket = resources.PHOTOS_BUCKET.name
        for key, version in self._objects() - self.kept_objects:
            self.s3.delete_object(Bucket=bucket, Key=key, VersionId=version)
        # SQS allows one purge a minute (moto enforces it unless told otherwise)
        os.environ["MOTO_SQS_ENFORCE_STRICT_QUEUE_PURGE_BEHAVIOUR"] = "false"
        try:
            for url in self.urls.values():
                self.sqs.purge_queue(QueueUrl=url)
        finally:
            del os.environ["MOTO_SQS_ENFORCE_STRICT_QUEUE_PURGE_BEHAVIOUR"]
        backend = sns_backends[DEFAULT_ACCOUNT_ID][REGION]
        backend.sms_messages.clear()
        for topic in backend.topics.values():
            topic.sent_notifications.clear()
        for page in self.cognito.get_paginator("list_users").paginate(UserPoolId=self.pool_id):
            for user in page["Users"]:
                if user["Username"] not in self.kept_users:
                    self.cognito.admin_delete_user(UserPoolId=self.pool_id, Username=user["Username"])
        self.clear_caches()

    def _seed(self) -> None:
        """The demo region and its accounts, as ``make run`` seeds them."""
        from chalicelib import resources
        from devstack.seed import DEMO_ACCOUNTS, seed_demo_accounts, seed_demo_region

        seed_demo_region()
        if not self.kept_users:
            seed_demo_accounts(self.cognito, self.pool_id)
            self.kept_users = {username for username, *_ in DEMO_ACCOUNTS.values()}
        self.seeded = {table.name: list(self._scan(table.name)) for table in resources.TABLES}
        self.kept_objects = {(key, version) for key, version in self._objects()
                             if key.startswith(resources.BOUNDARIES_PREFIX)}
        self.clear_caches()

    def _objects(self) -> set[tuple[str, str]]:
        """Every (key, version id) of the bucket, delete markers included."""
        from chalicelib import resources

        found = set()
        for page in self.s3.get_paginator("list_object_versions").paginate(Bucket=resources.PHOTOS_BUCKET.name):
            for entry in page.get("Versions", []) + page.get("DeleteMarkers", []):
                found.add((entry["Key"], entry["VersionId"]))
        return found

    def _tables_as(self, wanted: dict[str, list[dict[str, Any]]] | None) -> None:
        """Make every table hold exactly ``wanted`` (None: nothing), writing
        only what differs (the 157 seeded polygons rarely change)."""
        from chalicelib import resources

        dirty, self.dirty = self.dirty, set()
        for table in resources.TABLES:
            if dirty is not None and table.name not in dirty and wanted is self._last_wanted:
                continue
            names = [table.hash_key] + ([table.range_key] if table.range_key else [])

            def key(item: dict[str, Any], names: list[str] = names) -> str:
                return repr([item[n] for n in names])

            target = {key(item): item for item in (wanted or {}).get(table.name, [])}
            current = {key(item): item for item in self._scan(table.name)}
            requests: list[dict[str, Any]] = [{"DeleteRequest": {"Key": {n: item[n] for n in names}}}
                                              for k, item in current.items() if k not in target]
            requests += [{"PutRequest": {"Item": item}} for k, item in target.items() if current.get(k) != item]
            for start in range(0, len(requests), 25):
                self.dynamodb.batch_write_item(RequestItems={table.name: requests[start:start + 25]})
        self._last_wanted = wanted
        self.dirty = set()

    def clear_caches(self) -> None:
        from chalicelib.services import regions

        regions.clear_caches()

    def token(self, role: str) -> str:
        """An ID token of a seeded account (signed in once per module)."""
        from devstack.seed import DEMO_ACCOUNTS, sign_in

        if role not in self.tokens:
            self.tokens[role] = sign_in(self.cognito, self.client_id, DEMO_ACCOUNTS[role][0])
        return self.tokens[role]

    def close(self) -> None:
        self._unwatch()
        from chalicelib.adapters import aws as aws_adapter
        from chalicelib.auth import verifier

        verifier.KEYS.fetch = verifier.fetch_json
        verifier.KEYS.clear()
        aws_adapter.reset()
        self.clear_caches()
        self.mock.stop()

    def _scan(self, table: str):
        for page in self.dynamodb.get_paginator("scan").paginate(TableName=table):
            yield from page["Items"]


def _written_tables(backend: Any, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> set[str] | None:
    """The names of the tables a write of moto's DynamoDB backend may change
    (those its request names), or None if that is not known (PartiQL, a
    table named by its ARN, a request moto will refuse)."""
    if name in ("put_item", "update_item", "delete_item"):
        named = [kwargs.get("table_name", args[0] if args else None)]
    elif name == "transact_write_items":
        entries = kwargs.get("transact_items", args[0] if args else None)
        if not isinstance(entries, list):
            return None
        named = []
        for entry in entries:
            operations = list(entry.values()) if isinstance(entry, dict) else []
            named.append(operations[0].get("TableName") if len(operations) == 1
                         and isinstance(operations[0], dict) else None)
    else:
        return None
    if all(isinstance(table, str) and table in backend.tables for table in named):
        return set(named)
    return None


def _watch_writes(world: World) -> Any:
    """Note in ``world.dirty`` the tables moto's DynamoDB writes to (any
    write it cannot place, e.g. PartiQL, marks every table)."""
    from moto.dynamodb.models import DynamoDBBackend

    originals = {name: getattr(DynamoDBBackend, name) for name in ("put_item", "update_item", "delete_item",
                                                                    "transact_write_items", "execute_statement",
                                                                    "batch_execute_statement")}

    def watching(name: str, original: Any) -> Any:
        def method(self: Any, *args: Any, **kwargs: Any) -> Any:
            if world.dirty is not None:
                tables = _written_tables(self, name, args, kwargs)
                if tables is None:
                    world.dirty = None
                else:
                    world.dirty |= tables
            return original(self, *args, **kwargs)
        return method

    for name, original in originals.items():
        setattr(DynamoDBBackend, name, watching(name, original))

    def unwatch() -> None:
        for name, original in originals.items():
            setattr(DynamoDBBackend, name, original)

    return unwatch
