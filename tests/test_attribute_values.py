"""The in-memory DynamoDB's replies are byte for byte what moto's own
serializer writes, with the item values written out directly by
``support/attribute_values.py`` (installed for the whole suite by conftest)."""
import random

import boto3
import pytest
from moto import mock_aws
from moto.core.serialize import JSONSerializer, XFormedAttributePicker
from moto.core.utils import get_service_model

from support import attribute_values

OPERATIONS = {  # where replies carry attribute values
    "GetItem": lambda value: {"Item": value},
    "PutItem": lambda value: {"Attributes": value, "ItemCollectionMetrics": {"ItemCollectionKey": value}},
    "Query": lambda value: {"Items": [value, value], "Count": 2, "LastEvaluatedKey": value},
    "Scan": lambda value: {"Items": [value], "Count": 1, "ScannedCount": 1},
    "BatchGetItem": lambda value: {"Responses": {"t": [value]}, "UnprocessedKeys": {"t": {"Keys": [value]}}},
    "TransactGetItems": lambda value: {"Responses": [{"Item": value}]},
    "ExecuteStatement": lambda value: {"Items": [value]},
}


def tree(rng, depth=0):
    """A random attribute value: every type DynamoDB has, nested."""
    kinds = ["S", "N", "BOOL", "NULL", "SS", "NS"] + (["M", "L"] * 2 if depth < 4 else [])
    kind = rng.choice(kinds)
    if kind == "S":
        return {"S": rng.choice(["", "x", "Catatan é 🙂", "a" * 300, '"quoted" \\ back'])}
    if kind == "N":
        return {"N": rng.choice(["0", "-1.5", "12345678901234567890", "1E+3"])}
    if kind == "BOOL":
        return {"BOOL": rng.random() < 0.5}
    if kind == "NULL":
        return {"NULL": True}
    if kind in ("SS", "NS"):
        return {kind: [str(n) for n in rng.sample(range(100), rng.randint(1, 4))]}
    if kind == "M":
        return {"M": {f"k{n}": tree(rng, depth + 1) for n in range(rng.randint(0, 5))}}
    return {"L": [tree(rng, depth + 1) for _ in range(rng.randint(0, 5))]}


ODD = [  # values the fast path leaves to moto: it must still write them as moto does
    {"B": "aGVsbG8="}, {"B": b"raw"}, {"BS": ["aGVsbG8=", "d29ybGQ="]}, {"S": None}, {"S": 5}, {"N": 1.5},
    {}, {"S": "a", "N": "1"}, {"M": {"": {"S": "empty name"}}}, {"L": [None, {"S": "x"}]}, {"M": None},
    {"SS": [1, 2]}, {"BOOL": 1}, {"M": {"nested": {"B": "aGk="}}}, {"L": [{"L": [{"BS": ["aGk="]}]}]},
]


def serialize(operation, result):
    model = get_service_model("dynamodb").operation_model(operation)
    picker = XFormedAttributePicker(response_transformers={})
    return JSONSerializer(operation_model=model, value_picker=picker).serialize(result)


@pytest.fixture
def both():
    """Serialize with the fast path, then with moto's serializer alone; the
    fast path is put back afterwards as conftest left it."""
    installed = attribute_values.install()
    assert not installed, "conftest installs the fast path for the whole suite"

    def twice(operation, result):
        fast = serialize(operation, result)
        attribute_values.uninstall()
        try:
            slow = serialize(operation, result)
        finally:
            attribute_values.install()
        return fast, slow

    return twice


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_replies_are_what_motos_serializer_writes(both, operation):
    rng = random.Random(operation)
    for _ in range(40):
        item = {"id": {"S": "p#1"}, **{f"a{n}": tree(rng) for n in range(rng.randint(1, 8))}}
        fast, slow = both(operation, OPERATIONS[operation](item))
        assert fast == slow


@pytest.mark.parametrize("odd", ODD, ids=repr)
def test_values_left_to_moto_are_written_as_moto_writes_them(both, odd):
    fast, slow = both("GetItem", {"Item": {"id": {"S": "x"}, "odd": odd, "fine": {"M": {"odd": odd}}}})
    assert fast == slow


def test_a_table_read_back_through_boto3_is_the_same_either_way():
    """End to end: what the app's client parses from the in-memory DynamoDB."""
    rng = random.Random(7)
    with mock_aws():
        dynamodb = boto3.client("dynamodb", region_name="ap-southeast-3")
        dynamodb.create_table(TableName="t", BillingMode="PAY_PER_REQUEST",
                              AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                              KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}])
        for n in range(30):
            item = {"id": {"S": f"i{n:02d}"}, "blob": {"B": bytes([n, 0, 255])},
                    **{f"a{k}": tree(rng) for k in range(5)}}
            dynamodb.put_item(TableName="t", Item=item)
        dynamodb.update_item(TableName="t", Key={"id": {"S": "i08"}}, UpdateExpression="SET z = :z",
                             ExpressionAttributeValues={":z": {"L": [{"N": "1"}, {"S": "a"}]}})

        def read():  # the update writes what is there already: both reads see one state
            return (dynamodb.scan(TableName="t")["Items"],
                    dynamodb.get_item(TableName="t", Key={"id": {"S": "i07"}})["Item"],
                    dynamodb.update_item(TableName="t", Key={"id": {"S": "i08"}}, UpdateExpression="SET z = :z",
                                         ExpressionAttributeValues={":z": {"L": [{"N": "1"}, {"S": "a"}]}},
                                         ReturnValues="ALL_NEW")["Attributes"])

        fast = read()
        attribute_values.uninstall()
        try:
            slow = read()
        finally:
            attribute_values.install()
        assert fast == slow and len(fast[0]) == 30 and fast[2]["z"] == {"L": [{"N": "1"}, {"S": "a"}]}
