"""One upload pipeline for every file a client sends: report photos,
project progress photos and project contract documents.

A client gets a presigned S3 POST (``grants``) for a key under
``uploads/``; the bucket notifies the photos queue; the worker hands the
object to ``pipeline.process_upload``, which checks the bytes (``kinds``:
a photo is re-encoded without metadata and thumbnailed, a document must be
a PDF), keeps the clean copy, records the outcome on what the upload is
attached to, and deletes the raw upload.  What it is attached to is a
channel (``base.Channel``): ``reports.REPORT_PHOTOS``,
``projects.PROJECT_PHOTOS``, ``projects.PROJECT_DOCUMENTS``; the pipeline
does not know which one it talks to.
"""
