"""moto's ``TransactWriteItems`` without copying whole tables.

moto 5.2 makes a transaction all-or-nothing by deep-copying *every table*
the transaction touches before applying it, and putting the copies back if
any operation fails.  A transaction then costs time in proportion to the size
of its tables: 500 corrections of one project (each a transaction over the
project, its entries and the budget totals) took 112 s in the test suite, most
of it copying.

Only the items a transaction names can change, so it is enough to keep a copy
of those (their keys are in the request) and put them back on failure: that
is what ``install`` does, around moto's own method, which still decides and
applies everything.  Behaviour is moto's, with one difference: records a
failed transaction appended to a DynamoDB stream are not taken back (the app
uses no stream).  ``tests/test_local_transactions.py`` checks that a
transaction failing in its last operation leaves every item and index as it
was.  Installed by the test suite and by the local stack's moto server.
"""
from __future__ import annotations

import copy
import inspect
import threading
import types
from typing import Any

_installed = False
_guard = threading.Lock()


def install() -> bool:
    """Patch moto's DynamoDB backend (once).  True if this call did."""
    global _installed
    import moto.dynamodb.models as models
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.models.dynamo_type import DynamoType
    from moto.dynamodb.models.table import Table

    with _guard:
        if _installed:
            return False
        original = DynamoDBBackend.transact_write_items
        if list(inspect.signature(original).parameters) != ["self", "transact_items"]:
            raise RuntimeError("moto's transact_write_items changed: review devstack/transactions.py")
        source = inspect.getsource(original)
        if "copy.deepcopy(" not in source or "original_table_state" not in source:
            raise RuntimeError("moto's transaction rollback changed: review devstack/transactions.py")

        # moto's module keeps calling copy.deepcopy, but a Table is no longer copied
        def deepcopy(value: Any, memo: Any = None) -> Any:
            return value if isinstance(value, Table) else copy.deepcopy(value, memo)

        models.copy = types.SimpleNamespace(deepcopy=deepcopy, copy=copy.copy)  # type: ignore[attr-defined]

        def transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
            kept = []
            for entry in transact_items[:100]:
                try:
                    op_type, op = next(iter(entry.items()))
                    table = self.tables[op["TableName"]]
                    key = op["Item"] if op_type == "Put" else op["Key"]
                    hash_value = DynamoType(key[table.hash_key_attr])
                    range_value = DynamoType(key[table.range_key_attr]) if table.range_key_attr else None
                    kept.append((table, hash_value, range_value,
                                 copy.deepcopy(table.get_item(hash_value, range_value))))
                except Exception:  # noqa: BLE001, S112 - a malformed operation: moto refuses it below
                    continue
            try:
                return original(self, transact_items)
            except BaseException:
                for table, hash_value, range_value, item in reversed(kept):
                    _restore(table, hash_value, range_value, item)
                raise

        DynamoDBBackend.transact_write_items = transact_write_items  # type: ignore[method-assign]
        _installed = True
        return True


def _restore(table: Any, hash_value: Any, range_value: Any, item: Any) -> None:
    if table.range_key_attr:
        if item is None:
            table.items.get(hash_value, {}).pop(range_value, None)
        else:
            table.items[hash_value][range_value] = item
    elif item is None:
        table.items.pop(hash_value, None)
    else:
        table.items[hash_value] = item
