"""Ed25519 signatures of exchange files (issue 17): a Datenbestand creates its own key pair on
its first export and signs the file's SHA-256; the Kreis records the public key on the first
take-over and notices a file signed by another key (another Datenbestand claiming the AGS).

The ``cryptography`` package provides Ed25519; writing our own would be the worst kind of code
to get subtly wrong."""

from __future__ import annotations

import base64

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PrivateFormat, PublicFormat, NoEncryption

_CONTEXT = b"PaktDesk-Austauschdatei:"


def new_private_key() -> str:
    """A fresh private key as hex text (what the Datenbestand keeps)."""
    key = Ed25519PrivateKey.generate()
    return key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption()).hex()


def _private(private_hex: str) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(bytes.fromhex(private_hex))


def public_key_of(private_hex: str) -> str:
    raw = _private(private_hex).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def fingerprint(public_b64: str) -> str:
    """The public key in short groups a clerk can compare on the phone."""
    import hashlib

    digest = hashlib.sha256(base64.b64decode(public_b64)).hexdigest()[:16].upper()
    return " ".join(digest[i:i + 4] for i in range(0, 16, 4))


def sign(private_hex: str, sha256_hex: str) -> str:
    return base64.b64encode(_private(private_hex).sign(_CONTEXT + sha256_hex.encode("ascii"))).decode("ascii")


def verify(public_b64: str, sha256_hex: str, signature_b64: str) -> bool:
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_b64, validate=True))
        key.verify(base64.b64decode(signature_b64, validate=True), _CONTEXT + sha256_hex.encode("ascii"))
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True
