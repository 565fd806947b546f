"""CDK entry point: ``make synth STAGE=<name>`` / ``make deploy STAGE=<name>``.

The stage comes from ``-c stage=<name>`` (settings in ``infra/stages.py``).
ADUAN_STAGE is set before anything imports ``chalicelib``, so the queue names
in ``@on_sqs_message(queue=...)`` are this stage's."""
from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    import aws_cdk as cdk

    app = cdk.App()
    from infra import stages

    stage = stages.get(app.node.try_get_context("stage") or os.environ.get("STAGE") or "dev")
    os.environ["ADUAN_STAGE"] = stage.name
    os.environ.setdefault("AWS_DEFAULT_REGION", stage.region)
    from infra.stack import AduanStack

    AduanStack(app, stage, env=cdk.Environment(account=stage.account or os.environ.get("CDK_DEFAULT_ACCOUNT"),
                                               region=stage.region),
               description=f"Aduan citizen reporting, stage {stage.name}")
    cdk.Tags.of(app).add("app", "aduan")
    cdk.Tags.of(app).add("stage", stage.name)
    app.synth()


if __name__ == "__main__":
    main()
