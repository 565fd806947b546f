"""One regency stage on AWS: the Chalice app (API + workers + schedules,
through Chalice's CDK construct) and every resource ``chalicelib.resources``
declares.  Resources are built by iterating the declarations, so a new table,
index or queue there flows through without a change here."""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import aws_cdk as cdk
from aws_cdk import (
    aws_cloudfront as cloudfront,
)
from aws_cdk import (
    aws_cloudfront_origins as origins,
)
from aws_cdk import (
    aws_cloudwatch as cw,
)
from aws_cdk import (
    aws_cloudwatch_actions as cw_actions,
)
from aws_cdk import (
    aws_cognito as cognito,
)
from aws_cdk import (
    aws_dynamodb as ddb,
)
from aws_cdk import (
    aws_iam as iam,
)
from aws_cdk import (
    aws_logs as logs,
)
from aws_cdk import (
    aws_s3 as s3,
)
from aws_cdk import (
    aws_s3_deployment as s3deploy,
)
from aws_cdk import (
    aws_s3_notifications as s3n,
)
from aws_cdk import (
    aws_secretsmanager as secretsmanager,
)
from aws_cdk import (
    aws_sns as sns,
)
from aws_cdk import (
    aws_sns_subscriptions as subs,
)
from aws_cdk import (
    aws_sqs as sqs,
)
from constructs import Construct

from chalicelib import resources
from chalicelib.domain.emergencies import RESPONDER_TOPIC_PREFIX
from infra import package
from infra.stages import Stage

DDB_TYPE = ddb.AttributeType.STRING  # every key attribute is a string (resources.Table)
# The built web console (``make console``: index.html, assets/, build.json).
CONSOLE_DIST = package.ROOT / "web" / "dist"
# The paths the console distribution sends to the API (the rest are the console's files);
# devstack/console.py splits the local server's paths the same way.
API_PATHS = ("/v1/*", "/open311/*", "/openapi.json", "/health")


def console_dist() -> Path:
    """The built console, or a clear failure: the deployment uploads it."""
    if not (CONSOLE_DIST / "index.html").is_file():
        raise SystemExit(f"{CONSOLE_DIST}/index.html is missing: run `make console` to build the web console "
                         "(`make synth` and `make deploy` build it first)")
    return CONSOLE_DIST


def _attr(name: str | None) -> ddb.Attribute | None:
    return ddb.Attribute(name=name, type=DDB_TYPE) if name else None


def suppress(resource: cdk.CfnResource, *checks: tuple[str, str]) -> None:
    """checkov suppressions, in code, each with its reason."""
    current = resource.get_metadata("checkov") or {"skip": []}
    known = {s["id"] for s in current["skip"]}
    skips = current["skip"] + [{"id": c, "comment": why} for c, why in checks if c not in known]
    resource.add_metadata("checkov", {"skip": skips})


# Suppressions by resource type (applied to every resource of that type,
# including the ones CDK adds itself), each with its reason.
SUPPRESSIONS_BY_TYPE = {
    "AWS::SQS::Queue": (("CKV_AWS_27", "encrypted with SSE-SQS (SqsManagedSseEnabled: true); checkov only "
                                       "recognises a KMS key, which would cost US$1/month plus requests"),),
    "AWS::Logs::LogGroup": (("CKV_AWS_158", "CloudWatch Logs encrypts at rest by default; a customer KMS key "
                                            "costs US$1/month and the logs hold no secrets"),),
    "AWS::Lambda::Function": (
        ("CKV_AWS_116", "CDK's custom resources (S3 bucket notifications, the console's BucketDeployment): run "
                        "once per deployment, CloudFormation reports their failure"),
        ("CKV_AWS_117", "CDK's custom resources (S3 bucket notifications, the console's BucketDeployment): call "
                        "only the S3 API"),
        ("CKV_AWS_115", "CDK's custom resources (S3 bucket notifications, the console's BucketDeployment): a few "
                        "invocations per deployment"),
        ("CKV_AWS_173", "CDK's custom resources: no secret in their environment (the BucketDeployment's one "
                        "variable is the path of a CA bundle)")),
    "AWS::IAM::Role": (("CKV_AWS_111", "Cognito's SMS role: sns:Publish to phone numbers has no resource ARN "
                                       "to restrict to (CDK scopes it with an external id)"),),
}


class AduanStack(cdk.Stack):
    def __init__(self, scope: Construct, stage: Stage, **kwargs) -> None:
        super().__init__(scope, f"aduan-{stage.name}", **kwargs)
        assert resources.stage() == stage.name, "ADUAN_STAGE must be set before chalicelib is imported"
        dist = console_dist()  # before the slow packaging: fail at once when the console is not built
        removal = cdk.RemovalPolicy.RETAIN if stage.production else cdk.RemovalPolicy.DESTROY
        self.removal = removal

        # --- tables ----------------------------------------------------------
        self.tables: dict[str, ddb.Table] = {}
        for decl in resources.TABLES:
            table = ddb.Table(
                self, f"Table-{decl.logical}", table_name=decl.name,
                partition_key=_attr(decl.hash_key), sort_key=_attr(decl.range_key),
                billing_mode=ddb.BillingMode.PAY_PER_REQUEST,
                point_in_time_recovery_specification=ddb.PointInTimeRecoverySpecification(
                    point_in_time_recovery_enabled=True),
                deletion_protection=stage.production, removal_policy=removal,
                time_to_live_attribute=decl.ttl_attribute,
                stream=ddb.StreamViewType.NEW_AND_OLD_IMAGES if decl.stream else None,
                encryption=ddb.TableEncryption.AWS_MANAGED)
            for index in decl.indexes:
                table.add_global_secondary_index(index_name=index.name, partition_key=_attr(index.hash_key),
                                                 sort_key=_attr(index.range_key),
                                                 projection_type=ddb.ProjectionType.ALL)
            suppress(table.node.default_child, ("CKV_AWS_119", "AWS-owned/managed keys: a customer KMS key costs "
                                                "US$1/month each plus requests, against the idle-cost goal"))
            self.tables[decl.logical] = table

        # --- queues ----------------------------------------------------------
        self.queues: dict[str, sqs.Queue] = {}
        self.dlqs: dict[str, sqs.Queue] = {}
        for decl in resources.QUEUES:
            fifo = {"fifo": True, "content_based_deduplication": False} if decl.fifo else {}
            dlq = sqs.Queue(self, f"Dlq-{decl.logical}", queue_name=decl.dlq_name,
                            retention_period=cdk.Duration.seconds(decl.dlq_retention_seconds),
                            encryption=sqs.QueueEncryption.SQS_MANAGED, enforce_ssl=True, **fifo)
            queue = sqs.Queue(self, f"Queue-{decl.logical}", queue_name=decl.name, **fifo,
                              visibility_timeout=cdk.Duration.seconds(decl.visibility_timeout),
                              retention_period=cdk.Duration.days(4),
                              receive_message_wait_time=cdk.Duration.seconds(20),
                              encryption=sqs.QueueEncryption.SQS_MANAGED, enforce_ssl=True,
                              dead_letter_queue=sqs.DeadLetterQueue(queue=dlq,
                                                                    max_receive_count=decl.max_receive_count))
            self.queues[decl.logical], self.dlqs[decl.logical] = queue, dlq

        # --- photo bucket ----------------------------------------------------
        decl = resources.PHOTOS_BUCKET
        self.bucket = s3.Bucket(
            self, f"Bucket-{decl.logical}", bucket_name=decl.name,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL, encryption=s3.BucketEncryption.S3_MANAGED,
            enforce_ssl=True, versioned=True, object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            removal_policy=removal, auto_delete_objects=False,
            lifecycle_rules=[
                # Raw uploads are deleted by their worker; anything left is junk.
                *(s3.LifecycleRule(id=f"stale-{n.queue}-uploads", prefix=n.prefix, expiration=cdk.Duration.days(7))
                  for n in decl.notifications),
                s3.LifecycleRule(id="old-photos", transitions=[
                    s3.Transition(storage_class=s3.StorageClass.INFREQUENT_ACCESS,
                                  transition_after=cdk.Duration.days(stage.old_photos_after_days)),
                    s3.Transition(storage_class=s3.StorageClass.GLACIER_INSTANT_RETRIEVAL,
                                  transition_after=cdk.Duration.days(stage.archive_after_days))]),
                # an overwritten or deleted object (an erased person's export, a
                # replaced photo) survives as a noncurrent version this long
                s3.LifecycleRule(id="old-versions",
                                 noncurrent_version_expiration=cdk.Duration.days(resources.NONCURRENT_VERSION_DAYS),
                                 abort_incomplete_multipart_upload_after=cdk.Duration.days(1)),
                # a citizen's photo export (GET /v1/me/data?photos=zip) lives a day
                s3.LifecycleRule(id="exports", prefix=resources.EXPORT_PREFIX,
                                 expiration=cdk.Duration.days(resources.EXPORT_DAYS)),
            ])
        for notification in decl.notifications:
            self.bucket.add_event_notification(s3.EventType.OBJECT_CREATED, s3n.SqsDestination(
                self.queues[notification.queue]), s3.NotificationKeyFilter(prefix=notification.prefix))
        suppress(self.bucket.node.default_child,
                 ("CKV_AWS_18", "access logging would store a log object per photo request; CloudTrail data "
                                "events can be enabled by an auditor when needed"),
                 ("CKV_AWS_144", "cross-region replication doubles storage cost; versioning + PITR-less "
                                 "photos are acceptable for report evidence in a small regency"))

        # --- public files: a region's boundary files, through CloudFront ----------
        # Only the bucket's boundaries/ is reachable (the origin path), and the
        # bucket lets this distribution read nothing else; a version's files
        # never change, so they are cached for a year.
        # The origin is the bucket's declared name, not a reference to it: the
        # functions name this distribution (ADUAN_PUBLIC_FILES_URL), the console
        # distribution names the API and so the functions, and the photo
        # bucket's CORS rule names the console distribution; a reference here
        # would close that loop (a circular dependency).
        imported = s3.Bucket.from_bucket_attributes(
            self, "BoundaryFilesOrigin", bucket_name=decl.name,
            bucket_regional_domain_name=f"{decl.name}.s3.{self.region}.{self.url_suffix}")
        self.files = cloudfront.Distribution(
            self, "PublicFiles", comment=f"aduan-{stage.name} public boundary files",
            default_behavior=cloudfront.BehaviorOptions(
                origin=origins.S3BucketOrigin.with_origin_access_control(
                    imported, origin_path="/" + resources.BOUNDARIES_PREFIX.rstrip("/"),
                    origin_access_levels=[cloudfront.AccessLevel.READ]),
                viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
                allowed_methods=cloudfront.AllowedMethods.ALLOW_GET_HEAD,
                cache_policy=cloudfront.CachePolicy.CACHING_OPTIMIZED,
                response_headers_policy=cloudfront.ResponseHeadersPolicy.CORS_ALLOW_ALL_ORIGINS_WITH_PREFLIGHT),
            price_class=cloudfront.PriceClass.PRICE_CLASS_200,  # edge locations in Asia
            minimum_protocol_version=cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021)
        self.bucket.add_to_resource_policy(iam.PolicyStatement(
            actions=["s3:GetObject"], principals=[iam.ServicePrincipal("cloudfront.amazonaws.com")],
            resources=[self.bucket.arn_for_objects(f"{resources.BOUNDARIES_PREFIX}*")],
            conditions={"StringEquals": {"AWS:SourceArn": self.format_arn(
                service="cloudfront", region="", resource="distribution",
                resource_name=self.files.distribution_id)}}))
        suppress(self.files.node.default_child,
                 ("CKV_AWS_68", "public, immutable map files of official boundaries: no request to filter"),
                 ("CKV2_AWS_47", "no WAF: static public files only (see CKV_AWS_68)"),
                 ("CKV_AWS_86", "access logs of public map files would cost more than they tell"),
                 ("CKV_AWS_174", "TLS 1.2 is the minimum protocol version (the default certificate)"),
                 ("CKV_AWS_305", "no root object: only a region's boundary files are served"),
                 ("CKV_AWS_310", "one origin: the files are regenerated from the upload if ever lost"),
                 ("CKV_AWS_374", "citizens are in Indonesia, but maps may be read from anywhere"),
                 ("CKV2_AWS_32", "a response headers policy is set (CORS)"),
                 ("CKV2_AWS_42", "the distribution's own domain: a regency may add its certificate"))

        # --- accounts ----------------------------------------------------------
        pool_decl = resources.USER_POOL
        self.user_pool = cognito.UserPool(
            self, "UserPool", user_pool_name=pool_decl.name, self_sign_up_enabled=True,
            sign_in_aliases=cognito.SignInAliases(email=True, phone=True),
            auto_verify=cognito.AutoVerifiedAttrs(email=True, phone=True),
            password_policy=cognito.PasswordPolicy(min_length=8, require_lowercase=True, require_digits=True,
                                                   require_uppercase=False, require_symbols=False),
            custom_attributes={name: cognito.StringAttribute(min_len=0, max_len=64, mutable=True)
                               for name in pool_decl.custom_attributes},
            account_recovery=cognito.AccountRecovery.EMAIL_AND_PHONE_WITHOUT_MFA,
            removal_policy=removal)
        for precedence, group in enumerate(pool_decl.groups):
            cognito.CfnUserPoolGroup(self, f"Group-{group}", user_pool_id=self.user_pool.user_pool_id,
                                     group_name=group, precedence=precedence)
        standard = cognito.StandardAttributesMask(fullname=True, email=True, phone_number=True)
        self.client = self.user_pool.add_client(
            "AppClient", user_pool_client_name=pool_decl.client_name, generate_secret=False,
            auth_flows=cognito.AuthFlow(user_password=True),
            # sign-in, confirmation and recovery answer alike for unknown accounts
            # (sign-up is the app's: services/accounts answers alike itself)
            prevent_user_existence_errors=True,
            write_attributes=cognito.ClientAttributes().with_standard_attributes(
                fullname=True, email=True, phone_number=True),
            read_attributes=cognito.ClientAttributes().with_standard_attributes(
                fullname=True, email=True, phone_number=True, email_verified=True, phone_number_verified=True)
            .with_custom_attributes(*pool_decl.custom_attributes))
        del standard

        # --- the functions' role (least privilege, explicit) -------------------
        role = iam.Role(self, "FunctionRole", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
        role.add_to_policy(iam.PolicyStatement(actions=["logs:CreateLogStream", "logs:PutLogEvents"],
                                               resources=[self.format_arn(
                                                   service="logs", resource="log-group",
                                                   resource_name=f"/aws/lambda/aduan-{stage.name}-*",
                                                   arn_format=cdk.ArnFormat.COLON_RESOURCE_NAME) + ":*"]))
        for table in self.tables.values():
            table.grant_read_write_data(role)
        self.tables[resources.REPORTS.logical].grant_stream_read(role)
        # stream records that still fail after the retries: their position, kept 14 days
        self.stream_failures = sqs.Queue(self, "StreamFailures", queue_name=resources.stream_failures_queue(),
                                         retention_period=cdk.Duration.days(14),
                                         encryption=sqs.QueueEncryption.SQS_MANAGED, enforce_ssl=True)
        self.stream_failures.grant_send_messages(role)
        for queue in self.queues.values():
            queue.grant_send_messages(role)
            queue.grant_consume_messages(role)
        self.bucket.grant_read_write(role)
        self.bucket.grant_delete(role)
        role.add_to_policy(iam.PolicyStatement(
            actions=["sns:CreateTopic", "sns:Publish", "sns:Subscribe", "sns:Unsubscribe"],
            resources=[self.format_arn(service="sns", resource=resources.notify_topic_name("*"))]))
        # Emergencies reach an agency's responders on their own topic (domain.emergencies): only topics
        # named aduan-responder-…, here or in an account whose topic policy lets this role publish.
        role.add_to_policy(iam.PolicyStatement(
            actions=["sns:Publish"], resources=[f"arn:aws:sns:*:*:{RESPONDER_TOPIC_PREFIX}*"]))
        # Reporters' SMS are published to phone numbers, which have no ARN.
        role.add_to_policy(iam.PolicyStatement(actions=["sns:Publish"], not_resources=["arn:aws:sns:*:*:*"]))
        role.add_to_policy(iam.PolicyStatement(
            actions=["cognito-idp:AdminCreateUser", "cognito-idp:AdminAddUserToGroup",
                     "cognito-idp:AdminUpdateUserAttributes", "cognito-idp:AdminGetUser",
                     # data rights (a citizen erases themselves) and the staff directory
                     "cognito-idp:AdminDeleteUser", "cognito-idp:AdminDisableUser", "cognito-idp:AdminEnableUser",
                     "cognito-idp:AdminUserGlobalSignOut"],
            resources=[self.user_pool.user_pool_arn]))

        # --- the Chalice app ---------------------------------------------------
        from chalice.cdk import Chalice

        # The key of the keyed one-way hashes (domain.pseudonyms), generated once
        # per stage and resolved by CloudFormation (it is not in the template).
        hash_key = secretsmanager.Secret(self, "PseudonymKey", secret_name=f"aduan-{stage.name}-pseudonym-key",
                                         generate_secret_string=secretsmanager.SecretStringGenerator(
                                             exclude_punctuation=True, password_length=48),
                                         removal_policy=cdk.RemovalPolicy.RETAIN)
        suppress(hash_key.node.default_child,
                 ("CKV_AWS_149", "the AWS-managed key suffices for a hashing key"))
        # The console distribution's origin secret (resources.CONSOLE_ORIGIN_SECRET): CloudFront adds it to
        # every request it sends the API, which then believes CloudFront-Viewer-Address (api/source.py).
        # Generated once per stage; the template holds only {{resolve:secretsmanager:…}} references.
        origin = resources.CONSOLE_ORIGIN_SECRET
        self.origin_secret = secretsmanager.Secret(
            self, "ConsoleOriginSecret", secret_name=origin.name,
            description="aduan: the header value the console distribution adds to requests it sends the API",
            generate_secret_string=secretsmanager.SecretStringGenerator(exclude_punctuation=True, password_length=64),
            removal_policy=cdk.RemovalPolicy.DESTROY)  # nothing depends on its value between deployments
        suppress(self.origin_secret.node.default_child,
                 ("CKV_AWS_149", "the AWS-managed key suffices: the value is also in the distribution's origin "
                                 "settings and the functions' environment"))
        env = {"ADUAN_STAGE": stage.name, "ADUAN_USER_POOL_ID": self.user_pool.user_pool_id,
               "ADUAN_PUBLIC_FILES_URL": f"https://{self.files.distribution_domain_name}",
               "ADUAN_USER_POOL_CLIENT_ID": self.client.user_pool_client_id,
               "ADUAN_HASH_KEY": hash_key.secret_value.unsafe_unwrap(),
               origin.environment: self.origin_secret.secret_value.unsafe_unwrap()}
        for logical, queue in self.queues.items():
            env[f"ADUAN_QUEUE_URL_{logical.upper()}"] = queue.queue_url
        stage_config = {
            "lambda_architecture": stage.architecture, "lambda_memory_size": stage.memory_mb,
            "lambda_timeout": 30, "environment_variables": env, "autogen_policy": False,
            "manage_iam_role": False, "iam_role_arn": role.role_arn, "api_gateway_endpoint_type": "REGIONAL",
        }
        if stage.domain and stage.certificate_arn:
            stage_config["api_gateway_custom_domain"] = {"domain_name": stage.domain,
                                                         "certificate_arn": stage.certificate_arn}
        source = package.build_source(stage.architecture)
        cwd = os.getcwd()
        os.chdir(package.BUILD)  # the construct writes chalice.out/ into the working directory
        try:
            self.chalice = Chalice(self, stage.name, source_dir=str(source), stage_config=stage_config)
        finally:
            os.chdir(cwd)
        # the construct names the Chalice stage after its scope: this stack's name
        self._wire_functions(stage)
        self._console(stage, dist)
        for child in self.node.find_all():
            if isinstance(child, cdk.CfnResource) and child.cfn_resource_type in SUPPRESSIONS_BY_TYPE:
                suppress(child, *SUPPRESSIONS_BY_TYPE[child.cfn_resource_type])

    def _wire_functions(self, stage: Stage) -> None:
        template = self.chalice.sam_template
        by_name = {q.name: q for q in resources.QUEUES}
        functions = [(lid, template.get_resource(lid)) for lid in self._sam_ids("AWS::Serverless::Function")]
        alarm_topic = sns.Topic(self, "Alarms", topic_name=f"aduan-{stage.name}-alarms",
                                master_key=None)
        if stage.alarm_email:
            alarm_topic.add_subscription(subs.EmailSubscription(stage.alarm_email))
        action = cw_actions.SnsAction(alarm_topic)
        for logical, function in functions:
            props = self._sam_props(logical)
            name = f"aduan-{stage.name}-{logical}"
            function.add_property_override("FunctionName", name)
            log_group = logs.LogGroup(self, f"Logs-{logical}", log_group_name=f"/aws/lambda/{name}",
                                      retention=_retention(stage.log_retention_days),
                                      removal_policy=cdk.RemovalPolicy.DESTROY)
            function.node.add_dependency(log_group)
            function.add_property_override("ReservedConcurrentExecutions", None)
            for event_id, event in (props.get("Events") or {}).items():
                if event["Type"] == "DynamoDB":  # the reports stream (workers/stats.py, workers/webhooks.py)
                    base = f"Events.{event_id}.Properties"
                    function.add_property_override(f"{base}.Stream",
                                                   self.tables[resources.REPORTS.logical].table_stream_arn)
                    function.add_property_override(f"{base}.FunctionResponseTypes", ["ReportBatchItemFailures"])
                    function.add_property_override(f"{base}.MaximumRetryAttempts", 10)
                    function.add_property_override(f"{base}.BisectBatchOnFunctionError", True)
                    function.add_property_override(f"{base}.DestinationConfig", {
                        "OnFailure": {"Type": "SQS", "Destination": self.stream_failures.queue_arn}})
                    function.add_property_override("Timeout", 120)
                    if str(props.get("Handler", "")).endswith(".push_report_changes"):
                        # the partner webhooks' consumer (chalicelib/workers/webhooks.py) is invoked only
                        # for the writes of partners' and forwarded reports
                        function.add_property_override(f"{base}.FilterCriteria", {"Filters": [
                            {"Pattern": json.dumps({"dynamodb": {"NewImage": {name: {"S": [{"exists": True}]}}}})}
                            for name in ("partner_id", "forwarded_to")]})
                    continue
                if event["Type"] != "SQS":
                    continue
                queue_name = _queue_name(event["Properties"]["Queue"])
                decl = by_name[queue_name]  # an unknown queue name fails the synth: stage mismatch
                function.add_property_override(f"Events.{event_id}.Properties.FunctionResponseTypes",
                                               ["ReportBatchItemFailures"])
                function.add_property_override(f"Events.{event_id}.Properties.Queue",
                                               self.queues[decl.logical].queue_arn)
                function.add_property_override("Timeout", decl.consumer_timeout)
                if decl.consumer_memory:
                    function.add_property_override("MemorySize", decl.consumer_memory)
            cw.Alarm(self, f"Errors-{logical}", alarm_name=f"{name}-errors",
                     metric=cw.Metric(namespace="AWS/Lambda", metric_name="Errors",
                                      dimensions_map={"FunctionName": name}, statistic="Sum",
                                      period=cdk.Duration.minutes(5)),
                     threshold=1, evaluation_periods=1,
                     comparison_operator=cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                     treat_missing_data=cw.TreatMissingData.NOT_BREACHING).add_alarm_action(action)
            suppress(function, *FUNCTION_SUPPRESSIONS)
        for logical, dlq in self.dlqs.items():
            cw.Alarm(self, f"DeadLetters-{logical}", alarm_name=f"{dlq.queue_name}-depth",
                     metric=dlq.metric_approximate_number_of_messages_visible(period=cdk.Duration.minutes(5),
                                                                               statistic="Maximum"),
                     threshold=1, evaluation_periods=1,
                     comparison_operator=cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                     treat_missing_data=cw.TreatMissingData.NOT_BREACHING).add_alarm_action(action)
        # API Gateway: throttling, access logs, 5xx alarm.
        api = template.get_resource("RestAPI")
        access = logs.LogGroup(self, "ApiAccessLogs", retention=_retention(stage.log_retention_days),
                               removal_policy=cdk.RemovalPolicy.DESTROY)
        api.add_property_override("MethodSettings", [{
            "ResourcePath": "/*", "HttpMethod": "*", "ThrottlingRateLimit": stage.api_rate,
            "ThrottlingBurstLimit": stage.api_burst, "MetricsEnabled": False}])
        api.add_property_override("AccessLogSetting", {
            "DestinationArn": access.log_group_arn,
            # no caller address (personal data under UU PDP) and the path's template, not its ids
            "Format": '{"requestId":"$context.requestId",'
                      '"method":"$context.httpMethod","path":"$context.resourcePath",'
                      '"status":"$context.status","latency":"$context.responseLatency"}'})
        # API Gateway's own answers (unknown path, throttling, ...) in our error
        # shape.  In the OpenAPI definition rather than as separate
        # AWS::ApiGateway::GatewayResponse resources: a change to the definition
        # gives SAM's deployment a new logical id, so the stage is redeployed
        # and serves the new responses (separate resources need a redeployment
        # to take effect).
        api.add_property_override("DefinitionBody.x-amazon-apigateway-gateway-responses", gateway_responses())
        suppress(api, ("CKV_AWS_120", "no API cache: responses are per-user and the cache costs from US$14/month"),
                 ("CKV_AWS_73", "X-Ray tracing is paid per trace; enable per stage when debugging"))
        suppress(alarm_topic.node.default_child,
                 ("CKV_AWS_26", "alarm notifications carry no personal data; a KMS key costs US$1/month"))
        self.rest_api_id = api.ref
        cdk.CfnOutput(self, "ApiUrl", value=cdk.Fn.sub(
            "https://${Api}.execute-api.${AWS::Region}.amazonaws.com/api/", {"Api": api.ref}))
        cdk.CfnOutput(self, "UserPoolId", value=self.user_pool.user_pool_id)
        cdk.CfnOutput(self, "UserPoolClientId", value=self.client.user_pool_client_id)
        cdk.CfnOutput(self, "PhotoBucket", value=self.bucket.bucket_name)
        cdk.CfnOutput(self, "PublicFilesUrl", value=f"https://{self.files.distribution_domain_name}")

    def _console(self, stage: Stage, dist: Path) -> None:
        """The web console: its files from a private bucket and the API
        (``API_PATHS``) from one CloudFront domain, so the console calls its API
        on its own origin; the photo bucket admits its uploads (CORS)."""
        decl = resources.CONSOLE_BUCKET
        bucket = s3.Bucket(
            self, f"Bucket-{decl.logical}", bucket_name=decl.name,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL, encryption=s3.BucketEncryption.S3_MANAGED,
            enforce_ssl=True, object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            removal_policy=self.removal, auto_delete_objects=False)
        suppress(bucket.node.default_child,
                 ("CKV_AWS_18", "build output read only through CloudFront; access logging would log every page "
                                "load for nothing"),
                 ("CKV_AWS_21", "no versioning: every deploy uploads the console again from web/dist (make console)"),
                 ("CKV_AWS_144", "no replication: the files are rebuilt from the repository"))

        api = self.chalice.sam_template.get_resource("RestAPI")
        # Chalice serves the API under its stage ("api"): https://<id>.execute-api.<region>.amazonaws.com/api/
        api_stage = self._sam_props("RestAPI")["StageName"]
        # Every request to the API carries the origin secret (a viewer's header of that name is overwritten),
        # so the API can believe the CloudFront-Viewer-Address header on it (api/source.py).
        api_origin = origins.HttpOrigin(
            cdk.Fn.sub("${Api}.execute-api.${AWS::Region}.amazonaws.com", {"Api": api.ref}),
            origin_path=f"/{api_stage}", protocol_policy=cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
            origin_ssl_protocols=[cloudfront.OriginSslPolicy.TLS_V1_2],
            custom_headers={resources.CONSOLE_ORIGIN_SECRET.header: self.origin_secret.secret_value.unsafe_unwrap()})
        # The browser signs in with Cognito and uploads to the photo bucket
        # (presigned POST, global or regional S3 host) itself, and reads a
        # region's boundary files from the public files distribution; the
        # bucket by its declared name (a reference would be circular, see above).
        photos = resources.PHOTOS_BUCKET.name
        connect = ["'self'", f"https://cognito-idp.{self.region}.amazonaws.com", f"https://{photos}.s3.amazonaws.com",
                   f"https://{photos}.s3.{self.region}.amazonaws.com", f"https://{self.files.distribution_domain_name}"]
        csp = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
               "img-src 'self' data: blob: https:; connect-src " + " ".join(connect) + "; "
               "frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'")
        headers = cloudfront.ResponseHeadersPolicy(
            self, "ConsoleHeaders", comment=f"aduan-{stage.name} console security headers",
            security_headers_behavior=cloudfront.ResponseSecurityHeadersBehavior(
                content_security_policy=cloudfront.ResponseHeadersContentSecurityPolicy(
                    content_security_policy=csp, override=True),
                content_type_options=cloudfront.ResponseHeadersContentTypeOptions(override=True),
                frame_options=cloudfront.ResponseHeadersFrameOptions(
                    frame_option=cloudfront.HeadersFrameOption.DENY, override=True),
                referrer_policy=cloudfront.ResponseHeadersReferrerPolicy(
                    referrer_policy=cloudfront.HeadersReferrerPolicy.SAME_ORIGIN, override=True),
                strict_transport_security=cloudfront.ResponseHeadersStrictTransportSecurity(
                    access_control_max_age=cdk.Duration.days(365), include_subdomains=False, override=True)))
        # The API: every method, never cached, the viewer's query string and
        # headers (Authorization, Accept-Language, Idempotency-Key, ...) but Host,
        # and every CloudFront header, among them CloudFront-Viewer-Address (the
        # viewer's ip:port; see VIEWER_HEADERS_POLICY below for why the managed policy).
        to_api = cloudfront.BehaviorOptions(
            origin=api_origin, viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
            allowed_methods=cloudfront.AllowedMethods.ALLOW_ALL,
            cache_policy=cloudfront.CachePolicy.CACHING_DISABLED,
            origin_request_policy=VIEWER_HEADERS_POLICY, response_headers_policy=headers)
        self.console = cloudfront.Distribution(
            self, "Console", comment=f"aduan-{stage.name} web console and API",
            default_root_object="index.html",
            default_behavior=cloudfront.BehaviorOptions(
                origin=origins.S3BucketOrigin.with_origin_access_control(
                    bucket, origin_access_levels=[cloudfront.AccessLevel.READ]),
                viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
                allowed_methods=cloudfront.AllowedMethods.ALLOW_GET_HEAD,
                cache_policy=cloudfront.CachePolicy.CACHING_OPTIMIZED, compress=True,
                response_headers_policy=headers),
            additional_behaviors={path: to_api for path in API_PATHS},
            price_class=cloudfront.PriceClass.PRICE_CLASS_200,  # edge locations in Asia
            http_version=cloudfront.HttpVersion.HTTP2_AND_3,
            minimum_protocol_version=cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021)
        suppress(self.console.node.default_child,
                 ("CKV_AWS_68", "no WAF (US$5+/month a web ACL): static files, and API Gateway throttles the API "
                                "behind /v1/* (stage api_rate/api_burst)"),
                 ("CKV2_AWS_47", "no WAF: see CKV_AWS_68"),
                 ("CKV_AWS_86", "API Gateway's access logs record every API request; logging the console's static "
                                "files would cost more than it tells"),
                 ("CKV_AWS_174", "TLS 1.2 is the minimum protocol version (the default certificate)"),
                 ("CKV_AWS_310", "no origin failover: the console is redeployed from the repository, the API has "
                                 "one regional endpoint"),
                 ("CKV_AWS_374", "citizens are in Indonesia, but the console may be used from anywhere"),
                 ("CKV2_AWS_42", "the distribution's own domain: a regency may add its certificate"))

        # web/dist/ into the bucket: the hashed bundles cached for a year, then
        # index.html (which names them) revalidated on every load; build.json
        # (sizes for `make bench`) is not published, as locally.
        source = s3deploy.Source.asset(str(dist), exclude=["build.json"])
        deploy_logs = logs.LogGroup(self, "ConsoleDeployLogs", retention=_retention(stage.log_retention_days),
                                    removal_policy=cdk.RemovalPolicy.DESTROY)
        assets = s3deploy.BucketDeployment(
            self, "ConsoleAssets", destination_bucket=bucket, sources=[source], exclude=["index.html"],
            prune=True, log_group=deploy_logs,
            cache_control=[s3deploy.CacheControl.set_public(), s3deploy.CacheControl.max_age(cdk.Duration.days(365)),
                           s3deploy.CacheControl.immutable()])
        page = s3deploy.BucketDeployment(
            self, "ConsolePage", destination_bucket=bucket, sources=[source], exclude=["*"], include=["index.html"],
            prune=False, log_group=deploy_logs, cache_control=[s3deploy.CacheControl.no_cache()])
        page.node.add_dependency(assets)  # never a page naming bundles not yet uploaded

        # The console's browser uploads straight to the photo bucket.
        cors = resources.PHOTOS_BUCKET.cors
        assert cors is not None
        for origin in stage.console_origins:
            if not re.fullmatch(r"https://[a-z0-9.-]+(:\d+)?", origin):
                raise SystemExit(f"console_origins: {origin!r} is not an origin like https://lapor.example.go.id")
        self.bucket.add_cors_rule(
            id="console", allowed_origins=[f"https://{self.console.distribution_domain_name}", *stage.console_origins],
            allowed_methods=[s3.HttpMethods(m) for m in cors.methods], allowed_headers=list(cors.allowed_headers),
            exposed_headers=list(cors.exposed_headers), max_age=cors.max_age_seconds)
        cdk.CfnOutput(self, "ConsoleUrl", value=f"https://{self.console.distribution_domain_name}")

    def _sam(self) -> dict:
        import json

        path = self.chalice.sam_template.node.scope  # noqa: F841 - kept for clarity
        with open(self._sam_path()) as f:
            return json.load(f)

    def _sam_path(self) -> str:
        out = Path(package.BUILD) / "chalice.out"
        return str(max(out.glob("*.sam_with_assets.json"), key=lambda p: p.stat().st_mtime))

    def _sam_ids(self, type_name: str) -> list[str]:
        return [lid for lid, r in self._sam()["Resources"].items() if r["Type"] == type_name]

    def _sam_props(self, logical: str) -> dict:
        return self._sam()["Resources"][logical]["Properties"]


# What the console distribution's API behaviours send the API: the managed
# AllViewerExceptHostHeader policy, i.e. every viewer header but Host (API
# Gateway answers 403 to a Host that is not its own) and every CloudFront
# header, CloudFront-Viewer-Address (resources.VIEWER_ADDRESS_HEADER) among
# them.  A policy of our own cannot say as much: "allExcept" (all viewer
# headers but Host) adds no CloudFront header, "allViewerAndWhitelistCloudFront"
# (CloudFront-Viewer-Address added) also sends Host, and a "whitelist" may not
# name Authorization.  The origin secret is not a policy matter: it is one of
# the origin's custom headers, which CloudFront always sends.
VIEWER_HEADERS_POLICY = cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER


FUNCTION_SUPPRESSIONS = (
    ("CKV_AWS_116", "SQS-triggered functions dead-letter at the queue (redrive policy), API and schedule "
                    "invocations are synchronous or retried by the next run"),
    ("CKV_AWS_117", "no VPC: the functions reach only AWS APIs; a VPC needs NAT/endpoints costing "
                    "US$7+/month each"),
    ("CKV_AWS_115", "no reserved concurrency: it would carve capacity out of the account pool for "
                    "nothing; API Gateway throttling bounds the load"),
    ("CKV_AWS_173", "environment variables hold resource names and ids, and two values resolved from Secrets "
                    "Manager at deployment (the hashing key, the console origin secret), which Lambda encrypts "
                    "at rest with its AWS-managed key"),
)


# API Gateway response type -> (status, error code); status None keeps the
# status of the error the default response stands for.  MISSING_AUTHENTICATION_TOKEN
# is what API Gateway answers for a path (or a path's method) it does not know.
# No route has an API Gateway authorizer (tokens are checked by the app), so
# UNAUTHORIZED/ACCESS_DENIED only matter if one is added.
GATEWAY_RESPONSES: dict[str, tuple[int | None, str]] = {
    "MISSING_AUTHENTICATION_TOKEN": (404, "not_found"),
    "THROTTLED": (429, "throttled"),
    "REQUEST_TOO_LARGE": (413, "payload_too_large"),
    "UNAUTHORIZED": (401, "unauthorized"),
    "ACCESS_DENIED": (403, "forbidden"),
    "DEFAULT_4XX": (None, "bad_request"),
    "DEFAULT_5XX": (None, "internal_error"),
}


def gateway_responses() -> dict[str, dict]:
    """``x-amazon-apigateway-gateway-responses``: ``{"error": {"code", "message"}}``
    like every error of the app.  The templates are static, so the message is
    both languages (``chalicelib/domain/i18n.py``), Indonesian first; locally
    ``devstack/gateway.py`` answers unknown paths in the caller's language."""
    import json

    from chalicelib.domain import i18n

    responses = {}
    for response_type, (status, code) in GATEWAY_RESPONSES.items():
        text = " / ".join(i18n.message(code, lang).rstrip(".") for lang in i18n.LANGUAGES)
        body = json.dumps({"error": {"code": code, "message": text}}, separators=(",", ":"))
        assert not set("$#\\") & set(body), body  # nothing the template engine would read
        response = {"responseTemplates": {"application/json": body},
                    "responseParameters": {"gatewayresponse.header.Content-Type": "'application/json'"}}
        if status is not None:
            response["statusCode"] = str(status)
        responses[response_type] = response
    return responses


def _retention(days: int) -> logs.RetentionDays:
    known = {1: "ONE_DAY", 3: "THREE_DAYS", 5: "FIVE_DAYS", 7: "ONE_WEEK", 14: "TWO_WEEKS", 30: "ONE_MONTH",
             60: "TWO_MONTHS", 90: "THREE_MONTHS", 180: "SIX_MONTHS", 365: "ONE_YEAR", 731: "TWO_YEARS"}
    if days in known:
        return getattr(logs.RetentionDays, known[days])
    raise SystemExit(f"log_retention_days={days} is not a CloudWatch retention value")


def _queue_name(queue: object) -> str:
    text = queue if isinstance(queue, str) else next(iter(queue.values()))  # {"Fn::Sub": "arn:...:<name>"}
    if isinstance(text, list):
        text = text[0]
    match = re.search(r":([^:]+)$", text)
    assert match, queue
    return match.group(1)
