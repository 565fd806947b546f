"""The AWS deployment, checked offline: ``make synth`` (CDK + Chalice's
construct, installs infra/'s pinned packages on first use), then assertions on
the synthesized template against ``chalicelib/resources.py`` (the declarations
``infra/local.py`` also builds the local stack from), cfn-lint and checkov."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STAGE = "dev"
TEMPLATE = ROOT / "cdk.out" / f"aduan-{STAGE}.template.json"

pytestmark = pytest.mark.skipif(shutil.which("npm") is None, reason="Node/npm needed for the CDK CLI")


@pytest.fixture(scope="module")
def synth() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "ADUAN_"))}
    run = subprocess.run(["make", "synth", f"STAGE={STAGE}"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-4000:]
    return {"template": json.loads(TEMPLATE.read_text()), "output": run.stdout}


@pytest.fixture(scope="module")
def declared():
    """The declarations as seen with ADUAN_STAGE=dev (names include the stage)."""
    old = os.environ.get("ADUAN_STAGE")
    os.environ["ADUAN_STAGE"] = STAGE
    from chalicelib import resources
    from infra import local

    yield resources, local
    os.environ["ADUAN_STAGE"] = old if old is not None else "local"


def of_type(template: dict, type_name: str) -> dict[str, dict]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == type_name}


def by_name(template: dict, type_name: str, name_prop: str) -> dict[str, dict]:
    return {r["Properties"][name_prop]: r["Properties"] for r in of_type(template, type_name).values()}


def ref_id(value) -> str:
    if isinstance(value, dict) and "Fn::GetAtt" in value:
        return value["Fn::GetAtt"][0]
    if isinstance(value, dict) and "Ref" in value:
        return value["Ref"]
    raise AssertionError(value)


def test_tables_match_declarations_and_local_stack(synth, declared):
    resources, local = declared
    tables = by_name(synth["template"], "AWS::DynamoDB::Table", "TableName")
    assert set(tables) == {t.name for t in resources.TABLES}
    for decl in resources.TABLES:
        props, local_def = tables[decl.name], local.table_definition(decl)
        assert props["BillingMode"] == "PAY_PER_REQUEST"
        assert props["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
        assert props["KeySchema"] == local_def["KeySchema"]
        assert sorted(props["AttributeDefinitions"], key=str) == sorted(local_def["AttributeDefinitions"], key=str)
        gsis = {g["IndexName"]: g for g in props.get("GlobalSecondaryIndexes", [])}
        local_gsis = {g["IndexName"]: g for g in local_def.get("GlobalSecondaryIndexes", [])}
        assert set(gsis) == set(local_gsis) == {i.name for i in decl.indexes}
        for name, gsi in gsis.items():
            assert gsi["KeySchema"] == local_gsis[name]["KeySchema"]
            assert gsi["Projection"] == local_gsis[name]["Projection"]
        if decl.ttl_attribute:
            assert props["TimeToLiveSpecification"] == {"AttributeName": decl.ttl_attribute, "Enabled": True}


def test_every_queue_has_its_dlq(synth, declared):
    resources, local = declared
    template = synth["template"]
    queues = of_type(template, "AWS::SQS::Queue")
    named = {r["Properties"]["QueueName"]: (lid, r["Properties"]) for lid, r in queues.items()}
    assert set(named) == {q.name for q in resources.QUEUES} | {q.dlq_name for q in resources.QUEUES} | {
        resources.stream_failures_queue()}
    for decl in resources.QUEUES:
        _, props = named[decl.name]
        local_attrs = local.queue_attributes(decl, "arn")
        redrive = props["RedrivePolicy"]
        assert redrive["maxReceiveCount"] == decl.max_receive_count == json.loads(local_attrs["RedrivePolicy"])[
            "maxReceiveCount"]
        assert ref_id(redrive["deadLetterTargetArn"]) == named[decl.dlq_name][0]
        assert props["VisibilityTimeout"] == decl.visibility_timeout == int(local_attrs["VisibilityTimeout"])
        assert props["SqsManagedSseEnabled"] is True
        assert named[decl.dlq_name][1]["SqsManagedSseEnabled"] is True
        assert named[decl.dlq_name][1]["MessageRetentionPeriod"] == decl.dlq_retention_seconds
        # FIFO (the partner webhooks): the queue and its dead-letter queue, as the local stack makes them
        for props_ in (props, named[decl.dlq_name][1]):
            assert props_.get("FifoQueue", False) is decl.fifo and (local_attrs.get("FifoQueue") == "true") is decl.fifo
            assert props_.get("ContentBasedDeduplication", False) is False
    assert resources.PARTNER_WEBHOOKS_QUEUE.fifo and resources.PARTNER_WEBHOOKS_QUEUE.name.endswith(".fifo")


def test_sqs_event_sources_report_batch_item_failures(synth, declared):
    resources, _ = declared
    template = synth["template"]
    queue_ids = {r["Properties"]["QueueName"]: lid for lid, r in of_type(template, "AWS::SQS::Queue").items()}
    consumed = set()
    for function in of_type(template, "AWS::Serverless::Function").values():
        props = function["Properties"]
        assert props["Environment"]["Variables"]["ADUAN_STAGE"] == STAGE
        for event in (props.get("Events") or {}).values():
            if event["Type"] != "SQS":
                continue
            assert event["Properties"]["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
            queue_id = ref_id(event["Properties"]["Queue"])
            decl = next(q for q in resources.QUEUES if queue_ids[q.name] == queue_id)
            consumed.add(decl.name)
            assert decl.visibility_timeout >= 6 * props["Timeout"]
            assert event["Properties"]["BatchSize"] == decl.batch_size
    for mapping in of_type(template, "AWS::Lambda::EventSourceMapping").values():
        assert mapping["Properties"]["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert consumed == {q.name for q in resources.QUEUES}


def test_the_reports_stream_feeds_the_tallies(synth, declared):
    """The placeholder ARN Chalice needs is replaced by the table's stream; a
    batch that keeps failing is bisected, retried 10 times, then recorded."""
    resources, _ = declared
    template = synth["template"]
    tables = {r["Properties"]["TableName"]: (lid, r) for lid, r in of_type(template, "AWS::DynamoDB::Table").items()}
    reports_id, reports = tables[resources.REPORTS.name]
    assert reports["Properties"]["StreamSpecification"] == {"StreamViewType": "NEW_AND_OLD_IMAGES"}
    streams = {function["Properties"]["Handler"].rsplit(".", 1)[-1]: event
               for function in of_type(template, "AWS::Serverless::Function").values()
               for event in (function["Properties"].get("Events") or {}).values() if event["Type"] == "DynamoDB"}
    # two consumers, each with its own position: the tallies and the partner webhooks
    assert set(streams) == {"count_report_changes", "push_report_changes"}
    for event in streams.values():
        props = event["Properties"]
        assert props["Stream"] == {"Fn::GetAtt": [reports_id, "StreamArn"]}
        assert props["FunctionResponseTypes"] == ["ReportBatchItemFailures"] and props["BisectBatchOnFunctionError"]
        assert props["MaximumRetryAttempts"] == 10 and props["StartingPosition"] == "TRIM_HORIZON"
        assert ref_id(props["DestinationConfig"]["OnFailure"]["Destination"]) in of_type(template, "AWS::SQS::Queue")
    # the webhooks' consumer is invoked only for partners' and forwarded reports
    patterns = [json.loads(f["Pattern"]) for f in streams["push_report_changes"]["Properties"]["FilterCriteria"]["Filters"]]
    assert patterns == [{"dynamodb": {"NewImage": {name: {"S": [{"exists": True}]}}}}
                        for name in ("partner_id", "forwarded_to")]
    assert "FilterCriteria" not in streams["count_report_changes"]["Properties"]


def test_function_environment_names_queues_and_pool(synth, declared):
    resources, _ = declared
    for function in of_type(synth["template"], "AWS::Serverless::Function").values():
        variables = function["Properties"]["Environment"]["Variables"]
        for decl in resources.QUEUES:
            assert f"ADUAN_QUEUE_URL_{decl.logical.upper()}" in variables
        assert {"ADUAN_USER_POOL_ID", "ADUAN_USER_POOL_CLIENT_ID"} <= set(variables)


def bucket_by_name(template: dict, name: str) -> tuple[str, dict]:
    [(bucket_id, bucket)] = [(lid, r) for lid, r in of_type(template, "AWS::S3::Bucket").items()
                             if r["Properties"]["BucketName"] == name]
    return bucket_id, bucket["Properties"]


def bucket_statements(template: dict, bucket_id: str) -> list[dict]:
    return [s for p in of_type(template, "AWS::S3::BucketPolicy").values() if ref_id(p["Properties"]["Bucket"]) == bucket_id
            for s in p["Properties"]["PolicyDocument"]["Statement"]]


def test_bucket_private_encrypted_tls_only_and_notifies_photos_queue(synth, declared):
    resources, _ = declared
    template = synth["template"]
    assert {r["Properties"]["BucketName"] for r in of_type(template, "AWS::S3::Bucket").values()} == {
        resources.PHOTOS_BUCKET.name, resources.CONSOLE_BUCKET.name}
    bucket_id, props = bucket_by_name(template, resources.PHOTOS_BUCKET.name)
    assert props["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True, "BlockPublicPolicy": True, "IgnorePublicAcls": True, "RestrictPublicBuckets": True}
    [rule] = props["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert rule["ServerSideEncryptionByDefault"]["SSEAlgorithm"] in ("AES256", "aws:kms")
    assert props["VersioningConfiguration"]["Status"] == "Enabled"
    assert any(r.get("Transitions") for r in props["LifecycleConfiguration"]["Rules"])
    policies = [p["Properties"]["PolicyDocument"]["Statement"] for p in of_type(template, "AWS::S3::BucketPolicy").values()
                if ref_id(p["Properties"]["Bucket"]) == bucket_id]
    assert any(s["Effect"] == "Deny" and s["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
               for statements in policies for s in statements)
    [notifications] = of_type(template, "Custom::S3BucketNotifications").values()
    configs = notifications["Properties"]["NotificationConfiguration"]["QueueConfigurations"]
    queue_ids = {r["Properties"]["QueueName"]: lid for lid, r in of_type(template, "AWS::SQS::Queue").items()}
    by_queue = {q.logical: q for q in resources.QUEUES}
    assert sorted((ref_id(c["QueueArn"]), c["Filter"]["Key"]["FilterRules"][0]["Value"]) for c in configs) == sorted(
        (queue_ids[by_queue[n.queue].name], n.prefix) for n in resources.PHOTOS_BUCKET.notifications)
    assert all(c["Filter"]["Key"]["FilterRules"][0]["Name"] == "prefix" for c in configs)


def test_user_pool_groups_and_attributes(synth, declared):
    resources, _ = declared
    template = synth["template"]
    [pool] = of_type(template, "AWS::Cognito::UserPool").values()
    assert pool["Properties"]["UserPoolName"] == resources.USER_POOL.name
    custom = {a["Name"] for a in pool["Properties"]["Schema"] if a.get("Mutable") is not None}
    assert set(resources.USER_POOL.custom_attributes) <= custom
    groups = {g["Properties"]["GroupName"] for g in of_type(template, "AWS::Cognito::UserPoolGroup").values()}
    assert groups == set(resources.USER_POOL.groups)


def test_schedules_alarms_throttling_and_log_retention(synth, declared):
    resources, _ = declared
    template = synth["template"]
    functions = of_type(template, "AWS::Serverless::Function")
    assert any(e["Type"] == "Schedule" for f in functions.values() for e in (f["Properties"].get("Events") or {}).values())
    alarms = [a["Properties"] for a in of_type(template, "AWS::CloudWatch::Alarm").values()]
    assert sum(a["MetricName"] == "Errors" for a in alarms) == len(functions)
    assert sum(a["MetricName"] == "ApproximateNumberOfMessagesVisible" for a in alarms) == len(resources.QUEUES)
    [api] = of_type(template, "AWS::Serverless::Api").values()
    [setting] = api["Properties"]["MethodSettings"]
    assert setting["ThrottlingRateLimit"] > 0 and setting["ThrottlingBurstLimit"] > 0
    access = json.loads(api["Properties"]["AccessLogSetting"]["Format"])
    assert access["path"] == "$context.resourcePath"  # the route's template, not the ids in it
    assert not any("identity" in v for v in access.values())  # no caller address
    groups = of_type(template, "AWS::Logs::LogGroup").values()
    assert all(g["Properties"].get("RetentionInDays") for g in groups)
    names = {g["Properties"].get("LogGroupName") for g in groups}
    for function in functions.values():
        assert f"/aws/lambda/{function['Properties']['FunctionName']}" in names


def test_gateway_responses_answer_in_our_error_shape(synth):
    """API Gateway's own answers (unknown path, throttling, oversized body,
    other 4xx/5xx) carry ``{"error": {"code", "message"}}`` like the app's."""
    [api] = of_type(synth["template"], "AWS::Serverless::Api").values()
    responses = api["Properties"]["DefinitionBody"]["x-amazon-apigateway-gateway-responses"]
    expected = {"MISSING_AUTHENTICATION_TOKEN": ("404", "not_found"), "THROTTLED": ("429", "throttled"),
                "REQUEST_TOO_LARGE": ("413", "payload_too_large"), "DEFAULT_4XX": (None, "bad_request"),
                "DEFAULT_5XX": (None, "internal_error")}
    assert set(expected) <= set(responses)
    for response_type, response in responses.items():
        body = json.loads(response["responseTemplates"]["application/json"])
        assert list(body) == ["error"] and set(body["error"]) == {"code", "message"}, response_type
        assert body["error"]["message"].strip(), response_type
        assert response["responseParameters"]["gatewayresponse.header.Content-Type"] == "'application/json'"
        if response_type in expected:
            assert (response.get("statusCode"), body["error"]["code"]) == expected[response_type], response_type
    assert json.loads(responses["MISSING_AUTHENTICATION_TOKEN"]["responseTemplates"]["application/json"]) == {
        "error": {"code": "not_found", "message": "Alamat tidak ditemukan / Not found"}}


# CloudFront's managed policies
CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"
CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
ALL_VIEWER_EXCEPT_HOST_HEADER = "b689b0a8-53d0-40ab-baf2-68738e2966ac"


def console_distribution(template: dict) -> tuple[str, dict]:
    """The distribution whose default behaviour serves index.html (the other
    one serves the public boundary files)."""
    [(lid, dist)] = [(lid, r["Properties"]["DistributionConfig"])
                     for lid, r in of_type(template, "AWS::CloudFront::Distribution").items()
                     if r["Properties"]["DistributionConfig"].get("DefaultRootObject") == "index.html"]
    return lid, dist


def console_domain(distribution_id: str) -> dict:
    return {"Fn::Join": ["", ["https://", {"Fn::GetAtt": [distribution_id, "DomainName"]}]]}


def test_console_bucket_is_private_and_read_only_by_the_console_distribution(synth, declared):
    resources, _ = declared
    template = synth["template"]
    bucket_id, props = bucket_by_name(template, resources.CONSOLE_BUCKET.name)
    assert props["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True, "BlockPublicPolicy": True, "IgnorePublicAcls": True, "RestrictPublicBuckets": True}
    assert "NotificationConfiguration" not in props and "CorsConfiguration" not in props
    distribution_id, dist = console_distribution(template)
    # the default behaviour: the bucket through Origin Access Control, never a public website
    origins = {o["Id"]: o for o in dist["Origins"]}
    default = dist["DefaultCacheBehavior"]
    s3_origin = origins[default["TargetOriginId"]]
    assert ref_id(s3_origin["DomainName"]) == bucket_id and s3_origin["OriginAccessControlId"]
    assert s3_origin["S3OriginConfig"] == {"OriginAccessIdentity": ""}
    assert default["ViewerProtocolPolicy"] == "redirect-to-https"
    assert default["CachePolicyId"] == CACHING_OPTIMIZED and default["AllowedMethods"] == ["GET", "HEAD"]
    # only CloudFront reads the bucket, and only as this distribution (SourceArn); nothing else is allowed
    allowed = [s for s in bucket_statements(template, bucket_id) if s["Effect"] == "Allow"]
    assert allowed and all(s["Principal"] == {"Service": "cloudfront.amazonaws.com"} for s in allowed)
    for statement in allowed:
        assert statement["Action"] == "s3:GetObject"
        source = statement["Condition"]["StringEquals"]["AWS:SourceArn"]
        assert {"Ref": distribution_id} in source["Fn::Join"][1] and ":distribution/" in source["Fn::Join"][1]
    assert any(s["Effect"] == "Deny" and s["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
               for s in bucket_statements(template, bucket_id))
    # and the photo bucket lets the console distribution read nothing
    photos_id, _ = bucket_by_name(template, resources.PHOTOS_BUCKET.name)
    assert not [s for s in bucket_statements(template, photos_id) if distribution_id in json.dumps(s)]
    assert template["Outputs"]["ConsoleUrl"]["Value"] == console_domain(distribution_id)


def test_console_distribution_sends_the_api_paths_to_api_gateway(synth):
    template = synth["template"]
    _, dist = console_distribution(template)
    origins = {o["Id"]: o for o in dist["Origins"]}
    [api] = of_type(template, "AWS::Serverless::Api").values()
    behaviors = {b["PathPattern"]: b for b in dist["CacheBehaviors"]}
    assert set(behaviors) == {"/v1/*", "/open311/*", "/openapi.json", "/health"}
    for path, behavior in behaviors.items():
        origin = origins[behavior["TargetOriginId"]]
        domain, names = origin["DomainName"]["Fn::Sub"]
        assert domain == "${Api}.execute-api.${AWS::Region}.amazonaws.com" and names == {"Api": {"Ref": "RestAPI"}}
        assert origin["OriginPath"] == f"/{api['Properties']['StageName']}"
        assert origin["CustomOriginConfig"]["OriginProtocolPolicy"] == "https-only"
        assert set(behavior["AllowedMethods"]) == {"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"}, path
        assert behavior["CachePolicyId"] == CACHING_DISABLED, path
        # query strings and every header but Host: Authorization, Accept-Language, Idempotency-Key
        assert behavior["OriginRequestPolicyId"] == ALL_VIEWER_EXCEPT_HOST_HEADER, path
        assert behavior["ViewerProtocolPolicy"] == "https-only"


def secret_reference(secret_id: str) -> dict:
    """A value CloudFormation resolves from Secrets Manager while deploying:
    the template holds the secret's ARN, never its value."""
    return {"Fn::Join": ["", ["{{resolve:secretsmanager:", {"Ref": secret_id}, ":SecretString:::}}"]]}


def test_the_console_distribution_proves_itself_to_the_api_with_a_generated_secret(synth, declared):
    """CloudFront adds the origin secret to every request it sends the API,
    whose functions hold the same secret: both are dynamic references to one
    Secrets Manager secret generated at deployment, never a value."""
    resources, _ = declared
    template = synth["template"]
    decl = resources.CONSOLE_ORIGIN_SECRET
    [(secret_id, secret)] = [(lid, r["Properties"]) for lid, r in of_type(template, "AWS::SecretsManager::Secret").items()
                             if r["Properties"]["Name"] == decl.name]
    assert "SecretString" not in secret  # generated by Secrets Manager, not written here
    assert secret["GenerateSecretString"]["PasswordLength"] >= 32
    assert secret["GenerateSecretString"]["ExcludePunctuation"] is True  # letters and digits: a valid header value
    reference = secret_reference(secret_id)
    _, dist = console_distribution(template)
    origins = {o["Id"]: o for o in dist["Origins"]}
    api_origins = {b["TargetOriginId"] for b in dist["CacheBehaviors"]}
    assert api_origins
    for origin_id in api_origins:
        assert origins[origin_id]["OriginCustomHeaders"] == [{"HeaderName": decl.header, "HeaderValue": reference}]
    assert "OriginCustomHeaders" not in origins[dist["DefaultCacheBehavior"]["TargetOriginId"]]  # not to S3
    functions = of_type(template, "AWS::Serverless::Function")
    assert functions
    for function in functions.values():
        assert function["Properties"]["Environment"]["Variables"][decl.environment] == reference
    # nothing secret in plain text: wherever the header or the variable appears, its value is the reference,
    # every dynamic reference in the template is a Secrets Manager one, and no output names the secret
    found = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("HeaderName") == decl.header:
                found.append(node["HeaderValue"])
            if decl.environment in node:
                found.append(node[decl.environment])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(template)
    assert found and all(value == reference for value in found)
    assert len(found) == len(api_origins) + len(functions)
    text = json.dumps(template)
    assert text.count("{{resolve:") == text.count("{{resolve:secretsmanager:")
    assert secret_id not in json.dumps(template.get("Outputs", {}))


def test_the_api_behaviours_forward_the_viewers_address(synth, declared):
    """The managed AllViewerExceptHostHeader policy sends every viewer header
    but Host and every CloudFront header, CloudFront-Viewer-Address among
    them (AWS's "Use managed origin request policies"); a policy of our own
    cannot (``VIEWER_HEADERS_POLICY`` in infra/stack.py says why)."""
    resources, _ = declared
    assert resources.VIEWER_ADDRESS_HEADER == "CloudFront-Viewer-Address"
    template = synth["template"]
    _, dist = console_distribution(template)
    behaviors = {b["PathPattern"]: b for b in dist["CacheBehaviors"]}
    assert "/v1/*" in behaviors
    for path, behavior in behaviors.items():
        assert behavior["OriginRequestPolicyId"] == ALL_VIEWER_EXCEPT_HOST_HEADER, path
    # no custom policy that would send less (or the viewer's Host)
    assert not of_type(template, "AWS::CloudFront::OriginRequestPolicy")


def test_console_files_uploaded_with_their_cache_lifetimes(synth, declared):
    """web/dist/ is uploaded by the deployment: the hashed bundles cached for
    a year, index.html (which names them) revalidated on every load, after them."""
    resources, _ = declared
    template = synth["template"]
    bucket_id, _ = bucket_by_name(template, resources.CONSOLE_BUCKET.name)
    deployments = {lid: r for lid, r in of_type(template, "Custom::CDKBucketDeployment").items()}
    assert {ref_id(d["Properties"]["DestinationBucketName"]) for d in deployments.values()} == {bucket_id}
    [(page_id, page)] = [(lid, d) for lid, d in deployments.items() if d["Properties"].get("Include") == ["index.html"]]
    [(assets_id, assets)] = [(lid, d) for lid, d in deployments.items() if lid != page_id]
    assert page["Properties"]["SystemMetadata"]["cache-control"] == "no-cache"
    assert assets["Properties"]["Exclude"] == ["index.html"]
    assert "immutable" in assets["Properties"]["SystemMetadata"]["cache-control"]
    assert assets_id in page["DependsOn"]


def test_photo_bucket_cors_admits_the_console(synth, declared):
    """The console's browser POSTs photos straight to the photo bucket: its
    CORS rule names the console distribution's domain (and the stage's extra
    console origins), with the declared methods and headers, as the local
    stack's rule does (infra/local.py)."""
    resources, local = declared
    template = synth["template"]
    distribution_id, _ = console_distribution(template)
    _, props = bucket_by_name(template, resources.PHOTOS_BUCKET.name)
    [rule] = props["CorsConfiguration"]["CorsRules"]
    assert rule["AllowedOrigins"] == [console_domain(distribution_id)]  # the dev stage has no extra origins
    [local_rule] = local.cors_configuration(resources.PHOTOS_BUCKET, ["https://console"])["CORSRules"]
    assert "POST" in rule["AllowedMethods"]
    assert (rule["Id"], rule["AllowedMethods"], rule["AllowedHeaders"], rule["ExposedHeaders"], rule["MaxAge"]) == (
        local_rule["ID"], local_rule["AllowedMethods"], local_rule["AllowedHeaders"], local_rule["ExposeHeaders"],
        local_rule["MaxAgeSeconds"])


def test_synth_without_a_built_console_says_to_build_it(synth, tmp_path):
    """``make synth`` builds the console first; a synth without web/dist/
    fails at once, naming the command."""
    code = ("import sys; from pathlib import Path; import infra.stack as s; "
            f"s.CONSOLE_DIST = Path({str(tmp_path)!r}); s.console_dist()")
    env = {**{k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "ADUAN_"))}, "ADUAN_STAGE": STAGE,
           "JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION": "1"}
    run = subprocess.run([str(ROOT / "infra" / ".venv" / "bin" / "python"), "-c", code], cwd=ROOT, env=env,
                         capture_output=True, text=True)
    assert run.returncode == 1 and "index.html is missing: run `make console`" in run.stderr, run.stderr[-2000:]


def test_cfn_lint_and_checkov_clean(synth):
    sys.path.insert(0, str(ROOT))
    # make synth ran infra.checks and failed on errors; read its figures.
    assert "cfn-lint: 0 errors" in synth["output"], synth["output"]
    assert ", 0 failed," in synth["output"], synth["output"]
