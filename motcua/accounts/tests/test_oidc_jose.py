"""The RS256 JWS helpers the ID token check relies on, and the simulator's form and token
endpoint as a browser and a confidential client use them."""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from motcua.integrations.vneid import jose
from motcua.integrations.vneid.simulator import VneidSimulator

KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
JWKS = [jose.public_jwk(KEY.public_key(), kid="k1")]


def test_it_round_trips_claims() -> None:
    token = jose.sign({"sub": "1", "name": "Nguyễn Văn An"}, KEY, kid="k1")
    assert jose.verify(token, JWKS) == {"sub": "1", "name": "Nguyễn Văn An"}


def test_it_refuses_a_tampered_payload() -> None:
    head, _, sig = jose.sign({"citizen_id": "066090004321"}, KEY, kid="k1").split(".")
    forged = jose.b64url_encode(json.dumps({"citizen_id": "001190012345"}).encode())
    with pytest.raises(jose.JoseError, match="does not verify"):
        jose.verify(f"{head}.{forged}.{sig}", JWKS)


@pytest.mark.parametrize("alg", ["none", "HS256", "RS512"])
def test_it_refuses_other_algorithms(alg: str) -> None:
    _, body, sig = jose.sign({"sub": "1"}, KEY, kid="k1").split(".")
    head = jose.b64url_encode(json.dumps({"alg": alg, "kid": "k1"}).encode())
    with pytest.raises(jose.JoseError, match="not accepted"):
        jose.verify(f"{head}.{body}.{sig}", JWKS)


def test_it_refuses_an_unknown_key_and_garbage() -> None:
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with pytest.raises(jose.JoseError):
        jose.verify(jose.sign({"sub": "1"}, other, kid="k1"), JWKS)
    with pytest.raises(jose.JoseError, match="no key"):
        jose.verify(jose.sign({"sub": "1"}, KEY, kid="k9"), JWKS)
    for junk in ("", "a.b", "!!.??.**", "a.b.c.d"):
        with pytest.raises(jose.JoseError):
            jose.verify(junk, JWKS)


def _request(
    sim: VneidSimulator, method: str, path: str, body: dict[str, str], headers: dict[str, str]
) -> tuple[int, str, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", sim.port, timeout=5)
    try:
        conn.request(method, path, body=urlencode(body), headers={
            "Content-Type": "application/x-www-form-urlencoded", **headers})  # fmt: skip
        response = conn.getresponse()
        return response.status, response.getheader("Location") or "", response.read()
    finally:
        conn.close()


def test_the_simulator_form_and_token_endpoint_work_like_a_provider() -> None:
    sim = VneidSimulator().start()
    try:
        verifier = "v" * 50
        challenge = jose.b64url_encode(hashlib.sha256(verifier.encode()).digest())
        params = {"response_type": "code", "client_id": sim.client_id, "scope": "openid",
                  "redirect_uri": "http://app.test/cb", "state": "s1", "nonce": "n1",
                  "code_challenge": challenge, "code_challenge_method": "S256"}  # fmt: skip
        status, location, _ = _request(
            sim, "POST", "/authorize", {**params, "demo_person": "066195001234"}, {}
        )
        assert status == 302 and location.startswith("http://app.test/cb?")
        query = {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
        assert query["state"] == "s1"
        basic = base64.b64encode(f"{sim.client_id}:{sim.client_secret}".encode()).decode()
        form = {"grant_type": "authorization_code", "code": query["code"],
                "redirect_uri": "http://app.test/cb", "code_verifier": verifier}  # fmt: skip
        status, _, body = _request(sim, "POST", "/token", form, {"Authorization": f"Basic {basic}"})
        assert status == 200
        tokens = json.loads(body)
        claims = jose.verify(tokens["id_token"], sim.jwks()["keys"])
        assert claims["citizen_id"] == "066195001234" and claims["nonce"] == "n1"
        # The code is single-use; a wrong verifier or secret is refused.
        status, _, body = _request(sim, "POST", "/token", form, {"Authorization": f"Basic {basic}"})
        assert status == 400 and json.loads(body)["error"] == "invalid_grant"
        bad = base64.b64encode(f"{sim.client_id}:wrong".encode()).decode()
        status, _, _ = _request(sim, "POST", "/token", form, {"Authorization": f"Basic {bad}"})
        assert status == 401
        status, location, _ = _request(sim, "POST", "/authorize", {**params, "deny": "1"}, {})
        assert "error=access_denied" in location
    finally:
        sim.stop()
