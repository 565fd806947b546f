"""Create the declared resources (``chalicelib.resources``) on an AWS-compatible
endpoint: the embedded moto server of ``make run`` and the tests.

The deployment to AWS (issue: infra/ CDK app) reads the same declarations, so
the local stack has exactly the tables, indexes, queues, dead-letter queues
and bucket notification that production has.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from chalicelib import resources


def table_definition(table: resources.Table) -> dict[str, Any]:
    def key_schema(hash_key: str, range_key: str | None) -> list[dict[str, str]]:
        schema = [{"AttributeName": hash_key, "KeyType": "HASH"}]
        if range_key:
            schema.append({"AttributeName": range_key, "KeyType": "RANGE"})
        return schema

    definition: dict[str, Any] = {
        "TableName": table.name,
        "BillingMode": "PAY_PER_REQUEST",
        "KeySchema": key_schema(table.hash_key, table.range_key),
        "AttributeDefinitions": [{"AttributeName": name, "AttributeType": "S"} for name in table.key_attributes()],
    }
    if table.indexes:
        definition["GlobalSecondaryIndexes"] = [
            {"IndexName": index.name, "KeySchema": key_schema(index.hash_key, index.range_key),
             "Projection": {"ProjectionType": "ALL"}}
            for index in table.indexes
        ]
    if table.stream:
        definition["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}
    return definition


def queue_attributes(queue: resources.Queue, dlq_arn: str) -> dict[str, str]:
    return {
        "VisibilityTimeout": str(queue.visibility_timeout),
        "MessageRetentionPeriod": str(4 * 24 * 3600),
        "ReceiveMessageWaitTimeSeconds": "20",
        "SqsManagedSseEnabled": "true",
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": queue.max_receive_count}),
        **fifo_attributes(queue),
    }


def fifo_attributes(queue: resources.Queue) -> dict[str, str]:
    """A FIFO queue's (and its dead-letter queue's): deduplicated by the id the sender gives."""
    return {"FifoQueue": "true", "ContentBasedDeduplication": "false"} if queue.fifo else {}


def local_console_origins(api_port: int) -> tuple[str, ...]:
    """The local console's browser origins: the API's port serves it
    (``make run``), under either name of the loopback address."""
    return (f"http://127.0.0.1:{api_port}", f"http://localhost:{api_port}")


def cors_configuration(bucket: resources.Bucket, origins: Sequence[str]) -> dict[str, Any]:
    """The bucket's declared CORS rule for ``origins`` (S3's
    ``PutBucketCors`` shape; ``infra/stack.py`` builds the same rule)."""
    assert bucket.cors is not None, bucket.logical
    return {"CORSRules": [{
        "ID": "console",
        "AllowedOrigins": list(origins),
        "AllowedMethods": list(bucket.cors.methods),
        "AllowedHeaders": list(bucket.cors.allowed_headers),
        "ExposeHeaders": list(bucket.cors.exposed_headers),
        "MaxAgeSeconds": bucket.cors.max_age_seconds,
    }]}


def provision(session: Any, region: str, console_origins: Sequence[str] = ()) -> dict[str, str]:
    """Create (or find) every declared resource; returns queue URLs by
    logical name (``routing``, ``routing-dlq``, ...).  ``console_origins``:
    the browser origins the photo bucket's CORS rule admits (the local
    console's, ``local_console_origins(port)``); none: no CORS rule (the in-process
    tests, where no browser runs)."""
    dynamodb = session.client("dynamodb", region_name=region)
    sqs = session.client("sqs", region_name=region)
    s3 = session.client("s3", region_name=region)

    existing = set(dynamodb.list_tables()["TableNames"])
    for table in resources.TABLES:
        if table.name not in existing:
            dynamodb.create_table(**table_definition(table))
        if table.ttl_attribute:
            dynamodb.update_time_to_live(TableName=table.name, TimeToLiveSpecification={
                "Enabled": True, "AttributeName": table.ttl_attribute})

    urls: dict[str, str] = {}
    arns: dict[str, str] = {}
    for queue in resources.QUEUES:
        dlq_url = sqs.create_queue(QueueName=queue.dlq_name, Attributes={
            "MessageRetentionPeriod": str(queue.dlq_retention_seconds), "SqsManagedSseEnabled": "true",
            **fifo_attributes(queue)})["QueueUrl"]
        dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        url = sqs.create_queue(QueueName=queue.name, Attributes=queue_attributes(queue, dlq_arn))["QueueUrl"]
        urls[queue.logical] = url
        urls[f"{queue.logical}-dlq"] = dlq_url
        arns[queue.logical] = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]

    bucket = resources.PHOTOS_BUCKET
    try:
        s3.create_bucket(Bucket=bucket.name, CreateBucketConfiguration={"LocationConstraint": region})
    except s3.exceptions.BucketAlreadyOwnedByYou:
        pass
    s3.put_public_access_block(Bucket=bucket.name, PublicAccessBlockConfiguration={
        "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True})
    s3.put_bucket_encryption(Bucket=bucket.name, ServerSideEncryptionConfiguration={
        "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]})
    s3.put_bucket_notification_configuration(Bucket=bucket.name, NotificationConfiguration={
        "QueueConfigurations": [{
            "Id": f"{notification.queue}-worker",
            "QueueArn": arns[notification.queue],
            "Events": ["s3:ObjectCreated:*"],
            "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": notification.prefix}]}},
        } for notification in bucket.notifications]})
    if bucket.cors and console_origins:
        s3.put_bucket_cors(Bucket=bucket.name, CORSConfiguration=cors_configuration(bucket, console_origins))
    return urls


def user_pool_definition(pool: resources.UserPool) -> dict[str, Any]:
    return {
        "PoolName": pool.name,
        "Policies": {"PasswordPolicy": {"MinimumLength": 8, "RequireUppercase": False, "RequireLowercase": True,
                                        "RequireNumbers": True, "RequireSymbols": False}},
        "AutoVerifiedAttributes": ["email", "phone_number"],
        "Schema": [{"Name": name, "AttributeDataType": "String", "Mutable": True,
                    "StringAttributeConstraints": {"MinLength": "0", "MaxLength": "64"}}
                   for name in pool.custom_attributes],
    }


def provision_user_pool(session: Any, region: str) -> tuple[str, str]:
    """Create (or find) the declared user pool, its groups (the roles) and
    its app client; returns (pool id, client id)."""
    pool = resources.USER_POOL
    cognito = session.client("cognito-idp", region_name=region)
    found = [p for p in cognito.list_user_pools(MaxResults=60)["UserPools"] if p["Name"] == pool.name]
    pool_id = found[0]["Id"] if found else cognito.create_user_pool(**user_pool_definition(pool))["UserPool"]["Id"]
    existing = {g["GroupName"] for g in cognito.list_groups(UserPoolId=pool_id)["Groups"]}
    for precedence, group in enumerate(pool.groups):
        if group not in existing:
            cognito.create_group(UserPoolId=pool_id, GroupName=group, Precedence=precedence)
    clients = [c for c in cognito.list_user_pool_clients(UserPoolId=pool_id, MaxResults=60)["UserPoolClients"]
               if c["ClientName"] == pool.client_name]
    if clients:
        client_id = clients[0]["ClientId"]
    else:
        client_id = cognito.create_user_pool_client(
            UserPoolId=pool_id, ClientName=pool.client_name, GenerateSecret=False,
            ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
            PreventUserExistenceErrors="ENABLED",
            # The app may not write the attributes that grant access; it may
            # read them, and the ID token carries what the app may read.
            WriteAttributes=["name", "email", "phone_number"],
            ReadAttributes=["name", "email", "phone_number", "email_verified", "phone_number_verified"]
            + [f"custom:{name}" for name in pool.custom_attributes],
        )["UserPoolClient"]["ClientId"]
    return pool_id, client_id
