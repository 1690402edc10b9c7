"""Password hashing (argon2id, via argon2-cffi), the hashes Magento writes, and Magento's password
strength rules.

A customer imported from Magento keeps Magento's `password_hash` (`hash:salt:versions`, see
`magento_hash_valid`) until their first sign-in, which checks the password the way Magento's
`Encryptor::isValidHash` does and stores our own hash in its place (`needs_rehash`)."""

from __future__ import annotations

import hashlib
import hmac
import re

from argon2 import PasswordHasher as Argon2Hasher
from argon2.exceptions import InvalidHashError, VerificationError
from argon2.low_level import Type, hash_secret_raw

from engine.errors import Problem, ProblemCode


class PasswordHasher:
    def __init__(self, time_cost: int, memory_kib: int) -> None:
        self._argon2 = Argon2Hasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=1)
        # Verifying against a fixed hash when the account does not exist keeps the response time
        # from telling whether an e-mail is registered.
        self._decoy = self._argon2.hash("mageseg-decoy-password")

    def hash(self, password: str) -> str:
        return self._argon2.hash(password)

    def verify(self, password_hash: str | None, password: str) -> bool:
        if password_hash and is_magento_hash(password_hash):
            return verify_magento_hash(password_hash, password)
        try:
            return self._argon2.verify(password_hash or self._decoy, password) and bool(
                password_hash
            )
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        """A hash to replace at the next successful sign-in: Magento's, or ours with other
        parameters than the configured ones."""
        if is_magento_hash(password_hash):
            return True
        try:
            return self._argon2.check_needs_rehash(password_hash)
        except InvalidHashError:
            return True


# Magento\Framework\Encryption\Encryptor's hash versions.
HASH_VERSION_MD5 = 0
HASH_VERSION_SHA256 = 1
HASH_VERSION_ARGON2ID13 = 2
HASH_VERSION_ARGON2ID13_AGNOSTIC = 3
# libsodium's constants that Magento passes for version 2 (and writes into version 3's name):
# SODIUM_CRYPTO_SIGN_SEEDBYTES, *_OPSLIMIT_INTERACTIVE, *_MEMLIMIT_INTERACTIVE (bytes).
_SODIUM_SEED_BYTES = 32
_SODIUM_OPS_INTERACTIVE = 2
_SODIUM_MEM_INTERACTIVE = 67108864
_SODIUM_SALT_BYTES = 16
_AGNOSTIC = re.compile(r"3_(\d+)_(\d+)_(\d+)")
# Above this an imported hash would make one sign-in cost more than any Magento setup writes.
_MAX_ARGON_MEMORY = 1 << 30
_MAX_ARGON_OPS = 16


def is_magento_hash(password_hash: str) -> bool:
    """Ours are PHC strings (`$argon2id$...`); Magento's are `hash:salt[:versions]`."""
    return not password_hash.startswith("$")


def _versions(password_hash: str) -> tuple[str, str, list[str]] | None:
    parts = password_hash.split(":", 2)
    if len(parts) == 2:
        # Magento before 2.2 wrote `hash:salt` and checked SHA-256, then MD5.
        return parts[0], parts[1], []
    if len(parts) != 3:
        return None
    return parts[0], parts[1], parts[2].split(":")


def magento_hash_problem(password_hash: str) -> str | None:
    """Why a `password_hash` value is not one Magento writes, or None: `hash:salt:versions`,
    the versions oldest first (`1` SHA-256, `2` Argon2id13, `3_<bytes>_<ops>_<memory>` Argon2id13
    with its parameters, `0` MD5 from Magento 1 migrations; an upgraded hash chains them:
    `hash:salt:1:3_32_2_67108864`), or `hash:salt` from Magento 2.0-2.1."""
    split = _versions(password_hash)
    if split is None or not split[0] or not re.fullmatch(r"[0-9a-f]+", split[0]):
        return "is not a Magento password hash (hash:salt:version)"
    for version in split[2]:
        agnostic = _AGNOSTIC.fullmatch(version)
        if agnostic is not None:
            seed, ops, memory = (int(v) for v in agnostic.groups())
            if not (16 <= seed <= 64 and 1 <= ops <= _MAX_ARGON_OPS) or not (
                8192 <= memory <= _MAX_ARGON_MEMORY
            ):
                return f'has Argon2id parameters out of range ("{version}")'
        elif version not in {"0", "1", "2"}:
            return f'has an unknown hash version "{version}"'
    return None


def _argon(data: bytes, salt: str, seed: int, ops: int, memory: int) -> str:
    """Magento's `Encryptor::getArgonHash`: libsodium's crypto_pwhash (Argon2id, version 0x13,
    one lane), the salt cut or repeated to 16 bytes, the output in hex."""
    raw = salt.encode()
    if len(raw) < _SODIUM_SALT_BYTES and raw:
        raw = (raw * _SODIUM_SALT_BYTES)[:_SODIUM_SALT_BYTES]
    raw = raw[:_SODIUM_SALT_BYTES]
    return hash_secret_raw(
        data,
        raw,
        time_cost=ops,
        memory_cost=memory // 1024,
        parallelism=1,
        hash_len=seed,
        type=Type.ID,
        version=19,
    ).hex()


def _simple(data: bytes, version: int) -> str:
    return (hashlib.md5 if version == HASH_VERSION_MD5 else hashlib.sha256)(data).hexdigest()


def verify_magento_hash(password_hash: str, password: str) -> bool:
    """Magento's `Encryptor::isValidHash`: the password hashed with every version in the chain,
    oldest first, compared with the stored hash in constant time."""
    if magento_hash_problem(password_hash) is not None:
        return False
    split = _versions(password_hash)
    assert split is not None
    expected, salt, versions = split
    if not versions:
        candidates = [
            _simple((salt + password).encode(), v) for v in (HASH_VERSION_SHA256, HASH_VERSION_MD5)
        ]
        return any(hmac.compare_digest(c, expected) for c in candidates)
    recreated = password.encode()
    for version in versions:
        agnostic = _AGNOSTIC.fullmatch(version)
        if agnostic is not None:
            seed, ops, memory = (int(v) for v in agnostic.groups())
            text = _argon(recreated, salt, seed, ops, memory)
        elif int(version) == HASH_VERSION_ARGON2ID13:
            text = _argon(
                recreated,
                salt,
                _SODIUM_SEED_BYTES,
                _SODIUM_OPS_INTERACTIVE,
                _SODIUM_MEM_INTERACTIVE,
            )
        else:
            text = _simple(salt.encode() + recreated, int(version))
        recreated = text.encode()
    return hmac.compare_digest(recreated.decode(), expected)


_CHARACTER_CLASSES = (
    str.islower,
    str.isupper,
    str.isdigit,
    lambda c: not c.isalnum(),
)


def password_problems(
    password: str, min_length: int, required_classes: int, path: str
) -> list[Problem]:
    """Magento's `AccountManagement::checkPasswordStrength`, with its messages."""
    problems = []
    if len(password) < min_length:
        problems.append(
            Problem(
                ProblemCode.INVALID,
                f"The password needs at least {min_length} characters. "
                "Create a new password and try again.",
                path,
            )
        )
    classes = sum(1 for test in _CHARACTER_CLASSES if any(test(c) for c in password))
    if classes < required_classes:
        problems.append(
            Problem(
                ProblemCode.INVALID,
                f"Minimum of different classes of characters in password is {required_classes}. "
                "Classes of characters: Lower Case, Upper Case, Digits, Special Characters.",
                path,
            )
        )
    if password != password.strip():
        problems.append(
            Problem(
                ProblemCode.INVALID,
                "The password can't begin or end with a space. Verify the password and try again.",
                path,
            )
        )
    return problems
