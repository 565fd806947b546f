"""Presigned S3 URLs name the bucket's regional host on AWS: the global
host (botocore's default) does not work for buckets in opt-in regions such
as Jakarta (ap-southeast-3), where a browser's presigned POST would fail."""
from chalicelib.adapters import aws


def test_presigned_urls_use_the_regional_host_on_aws(monkeypatch):
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "ap-southeast-3")
    monkeypatch.delenv("AWS_REGION", raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    aws.reset()
    try:
        s3 = aws.client("s3")
        post = s3.generate_presigned_post("aduan-photos-dev", "uploads/x.jpg")
        get = s3.generate_presigned_url("get_object", Params={"Bucket": "aduan-photos-dev", "Key": "x.jpg"})
    finally:
        aws.reset()
    assert post["url"] == "https://aduan-photos-dev.s3.ap-southeast-3.amazonaws.com/"
    assert get.startswith("https://aduan-photos-dev.s3.ap-southeast-3.amazonaws.com/x.jpg?")
