"""Stage 4 example: ferrojwt used the way PyJWT is, through `import ferrojwt as jwt`."""

import base64
import time

import ferrojwt as jwt

pair = jwt.generate_rsa_key(2048, kid="demo-key")
claims = {"sub": "ferris", "aud": "workshop", "exp": int(time.time()) + 600}

token = jwt.encode(claims, pair.private_pem, algorithm="RS256", headers={"kid": "demo-key"})
print("header :", jwt.get_unverified_header(token))
print("claims :", jwt.decode(token, pair.public_pem, algorithms=["RS256"], audience="workshop"))

# The same key as a JWK Set entry, found by the token's kid.
jwks = jwt.PyJWKSet([pair.public_jwk])
key = jwks[jwt.get_unverified_header(token)["kid"]]
print("via JWK:", jwt.decode(token, key, audience="workshop")["sub"])

header, payload, signature = token.split(".")
flipped = "A" if signature[10] != "A" else "B"
unsigned_header = base64.urlsafe_b64encode(b'{"alg":"none"}').rstrip(b"=").decode()
attempts = [
    ("tampered", f"{header}.{payload}.{signature[:10]}{flipped}{signature[11:]}", "workshop"),
    ("wrong audience", token, "another-app"),
    ("alg none", f"{unsigned_header}.{payload}.", "workshop"),
]
for label, bad_token, audience in attempts:
    try:
        jwt.decode(bad_token, pair.public_pem, algorithms=["RS256"], audience=audience)
    except jwt.InvalidTokenError as error:
        print(f"{label:15}-> {type(error).__name__}: {error}")
