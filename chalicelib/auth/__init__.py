"""Who is calling: Cognito ID tokens verified in-process (signature against
the pool's JWKS, issuer, audience, expiry, token use), in production and in
the local run alike."""
