"""One source of truth: the PynamoDB models and the local stack follow the
declarations in chalicelib.resources."""
import json

import boto3

from chalicelib import resources
from chalicelib.store.models import MODELS
from support.data import REGION


def test_every_declared_table_has_a_model_with_the_same_keys_and_indexes():
    assert set(MODELS) == {t.logical for t in resources.TABLES}
    for table in resources.TABLES:
        model = MODELS[table.logical]
        meta = model._get_schema()
        assert model.Meta.table_name == table.name
        keys = {k["attribute_name"] if "attribute_name" in k else k["AttributeName"]: k.get("key_type", k.get("KeyType"))
                for k in meta["key_schema"]}
        expected = {table.hash_key: "HASH", **({table.range_key: "RANGE"} if table.range_key else {})}
        assert keys == expected, table.logical
        indexes = {}
        for index in meta.get("global_secondary_indexes", []):
            schema = {k.get("attribute_name", k.get("AttributeName")): k.get("key_type", k.get("KeyType"))
                      for k in index["key_schema"]}
            indexes[index["index_name"]] = schema
        declared = {i.name: {i.hash_key: "HASH", **({i.range_key: "RANGE"} if i.range_key else {})}
                    for i in table.indexes}
        assert indexes == declared, table.logical


def test_local_stack_creates_what_is_declared(aws):
    dynamodb = boto3.client("dynamodb", region_name=REGION)
    for table in resources.TABLES:
        described = dynamodb.describe_table(TableName=table.name)["Table"]
        assert {k["AttributeName"] for k in described["KeySchema"]} == {table.hash_key, table.range_key} - {None}
        assert {i["IndexName"] for i in described.get("GlobalSecondaryIndexes", [])} == {i.name for i in table.indexes}
    sqs = boto3.client("sqs", region_name=REGION)
    for queue in resources.QUEUES:
        attributes = sqs.get_queue_attributes(QueueUrl=aws[queue.logical], AttributeNames=["All"])["Attributes"]
        redrive = json.loads(attributes["RedrivePolicy"])
        assert redrive["maxReceiveCount"] == queue.max_receive_count
        assert redrive["deadLetterTargetArn"].endswith(queue.dlq_name)
        assert int(attributes["VisibilityTimeout"]) == 6 * queue.consumer_timeout
    s3 = boto3.client("s3", region_name=REGION)
    notification = s3.get_bucket_notification_configuration(Bucket=resources.PHOTOS_BUCKET.name)
    configs = notification["QueueConfigurations"]
    assert sorted((c["QueueArn"].rsplit(":", 1)[1], c["Filter"]["Key"]["FilterRules"][0]["Value"]) for c in configs) \
        == sorted((resources.physical_name(n.queue), n.prefix) for n in resources.PHOTOS_BUCKET.notifications)
    assert {"uploads/", "boundary-uploads/"} == {c["Filter"]["Key"]["FilterRules"][0]["Value"] for c in configs}
    block = s3.get_public_access_block(Bucket=resources.PHOTOS_BUCKET.name)["PublicAccessBlockConfiguration"]
    assert all(block.values())


def test_every_sqs_handler_consumes_a_declared_queue():
    from chalice.app import SQSEventConfig

    from app import app

    consumed = {s.queue for s in app.event_sources if isinstance(s, SQSEventConfig)}
    assert consumed == {q.name for q in resources.QUEUES}


def test_local_photo_bucket_admits_uploads_from_the_local_console_only(world, aws):
    """The console's browser POSTs photos straight to the bucket: the local
    stack (``LocalStack.start``) provisions the declared CORS rule for the
    console's origins, the API's port under both loopback names.  moto's
    server answers every preflight itself, so the rule is read back."""
    from infra import local

    origins = local.local_console_origins(8123)
    assert origins == ("http://127.0.0.1:8123", "http://localhost:8123")
    local.provision(world.session, REGION, console_origins=origins)
    s3 = boto3.client("s3", region_name=REGION)
    try:
        [rule] = s3.get_bucket_cors(Bucket=resources.PHOTOS_BUCKET.name)["CORSRules"]
        assert set(rule["AllowedOrigins"]) == set(origins)
        assert "http://evil.example" not in rule["AllowedOrigins"] and "*" not in rule["AllowedOrigins"]
        assert "POST" in rule["AllowedMethods"] and {"GET", "HEAD"} <= set(rule["AllowedMethods"])
        assert "Content-Type" in rule["AllowedHeaders"] and "ETag" in rule["ExposeHeaders"]
        assert rule["MaxAgeSeconds"] > 0
        assert [rule] == local.cors_configuration(resources.PHOTOS_BUCKET, origins)["CORSRules"]
    finally:  # the module's other tests see the bucket as provisioned for them
        s3.delete_bucket_cors(Bucket=resources.PHOTOS_BUCKET.name)


def test_the_console_bucket_is_its_own():
    """The console's files live in a bucket of their own: no notifications, no
    browser access of its own (CloudFront reads it), never the photo bucket."""
    console = resources.CONSOLE_BUCKET
    assert console.name != resources.PHOTOS_BUCKET.name and console.name == resources.physical_name("console")
    assert not console.notifications and console.cors is None
