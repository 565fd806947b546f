"""The embedded DynamoDB's transactions stay all-or-nothing with the
item-level rollback of ``devstack/transactions.py`` (installed for the whole
test suite by conftest, and by the local stack's moto server)."""
import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from devstack import transactions


@pytest.fixture
def table():
    transactions.install()
    with mock_aws():
        dynamodb = boto3.client("dynamodb", region_name="ap-southeast-3")
        dynamodb.create_table(
            TableName="t", BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": n, "AttributeType": "S"} for n in ("pk", "sk", "g")],
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
            GlobalSecondaryIndexes=[{"IndexName": "by_g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                     "Projection": {"ProjectionType": "ALL"}}])
        for n in range(50):
            dynamodb.put_item(TableName="t", Item={"pk": {"S": "p"}, "sk": {"S": f"{n:03d}"}, "g": {"S": "x"},
                                                   "v": {"N": str(n)}})
        yield dynamodb


def everything(dynamodb):
    items = dynamodb.query(TableName="t", KeyConditionExpression="pk = :p",
                           ExpressionAttributeValues={":p": {"S": "p"}})["Items"]
    index = dynamodb.query(TableName="t", IndexName="by_g", KeyConditionExpression="g = :g",
                           ExpressionAttributeValues={":g": {"S": "x"}})["Items"]
    return sorted(map(str, items)), sorted(map(str, index))


def key(sk):
    return {"pk": {"S": "p"}, "sk": {"S": sk}}


def operations(last_condition):
    return [
        {"Put": {"TableName": "t", "Item": {**key("new"), "g": {"S": "x"}, "v": {"N": "1"}}}},
        {"Update": {"TableName": "t", "Key": key("001"), "UpdateExpression": "SET v = :v, g = :g",
                    "ExpressionAttributeValues": {":v": {"N": "99"}, ":g": {"S": "y"}}}},
        {"Delete": {"TableName": "t", "Key": key("002")}},
        {"ConditionCheck": {"TableName": "t", "Key": key("003"), "ConditionExpression": last_condition,
                            "ExpressionAttributeValues": {":n": {"N": "3"}}}},
    ]


def test_a_transaction_failing_in_its_last_operation_changes_nothing(table):
    before = everything(table)
    with pytest.raises(ClientError) as refused:
        table.transact_write_items(TransactItems=operations("v <> :n"))
    assert refused.value.response["Error"]["Code"] == "TransactionCanceledException"
    assert everything(table) == before  # the put, the update and the delete are all undone, indexes too
    with pytest.raises(ClientError):  # two operations on one item: refused whole, too
        table.transact_write_items(TransactItems=operations("v = :n")[:2] + [operations("v = :n")[1]])
    assert everything(table) == before


def test_a_transaction_whose_conditions_hold_applies_every_operation(table):
    table.transact_write_items(TransactItems=operations("v = :n"))
    items, index = everything(table)
    assert len(items) == 50 and len(index) == 49  # one added, one deleted; one moved to another index key
    assert table.get_item(TableName="t", Key=key("001"))["Item"]["v"] == {"N": "99"}
    assert "Item" not in table.get_item(TableName="t", Key=key("002"))
