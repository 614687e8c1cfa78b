"""Sealed ballots: the cryptography, all of it libsodium's through PyNaCl (no primitive of ours).

- Each ballot has a box: an X25519 key pair made when the ballot becomes ready. Its public key is
  stored; its private key is stored only wrapped, first in a secretbox under a key derived from
  the app's `SEALING_KEY` and the ballot's random salt, then (with trustees) in one sealed box
  for each trustee's public key. So the database alone never opens it, and with trustees neither
  do the database and the app's secrets together.
- A vote is sealed at once into one sealed box for the box's public key: an ephemeral key pair,
  a random nonce, XSalsa20-Poly1305. The plaintext has one length per ballot (a bitmask per
  item), so no two envelopes of a ballot differ in size, and none repeats another.
- A trustee's key pair comes from their secret: Argon2id with a random salt, then a keyed
  BLAKE2b under the app's key, so neither the database nor the app's secrets alone can test a
  guess. Only the public key and the salt are stored.
- A draft (the picks of earlier items before `1. 예 (제출)`) is a secretbox with a random nonce
  under a key derived from `SEALING_KEY`: the conversation row never holds a pick in the clear.
"""

from __future__ import annotations

import base64
import functools
import os
from collections.abc import Mapping, Sequence

import nacl.pwhash
from nacl.encoding import RawEncoder
from nacl.exceptions import CryptoError
from nacl.hash import blake2b
from nacl.public import PrivateKey, PublicKey, SealedBox
from nacl.secret import SecretBox

FORMAT = 1  # the first byte of every plaintext: the layout below
SALT_BYTES = 16
TRUSTEE_OPS = nacl.pwhash.argon2id.OPSLIMIT_MODERATE
TRUSTEE_MEM = nacl.pwhash.argon2id.MEMLIMIT_MODERATE

__all__ = ["CryptoError", "Keyring", "keyring", "new_salt"]


def new_salt() -> bytes:
    return os.urandom(SALT_BYTES)


class Keyring:
    """The keys derived from the app's `SEALING_KEY` (never stored in the database)."""

    def __init__(self, sealing_key: str) -> None:
        if not sealing_key:
            raise ValueError("SEALING_KEY is empty")
        self._root = blake2b(sealing_key.encode(), digest_size=32, person=b"maeul-root",
                             encoder=RawEncoder)

    def _derive(self, purpose: bytes, context: bytes) -> bytes:
        return blake2b(context, key=self._root, digest_size=32, person=purpose,
                       encoder=RawEncoder)

    def ballot_box(self, ballot_id: int, salt: bytes) -> SecretBox:
        """The app's layer around a ballot's box key."""
        return SecretBox(self._derive(b"maeul-ballot", f"{ballot_id}:".encode() + salt))

    def tally_mac(self, ballot_id: int, message: bytes) -> str:
        """A MAC over what a ballot's count found (bot/ballots/tally_seal.py)."""
        return blake2b(message, key=self._derive(b"maeul-tally", f"{ballot_id}".encode()),
                       digest_size=32).decode()

    def drafts(self) -> SecretBox:
        """The drafts' box: derived once per keyring (every vote step opens and seals one)."""
        box = getattr(self, "_drafts", None)
        if box is None:
            box = self._drafts = SecretBox(self._derive(b"maeul-draft", b""))
        return box

    def trustee_key(self, ballot_id: int, number: int, secret: str, salt: bytes) -> PrivateKey:
        stretched = nacl.pwhash.argon2id.kdf(32, secret.encode(), salt, opslimit=TRUSTEE_OPS,
                                             memlimit=TRUSTEE_MEM)
        return PrivateKey(self._derive(b"maeul-trustee",
                                       stretched + f":{ballot_id}:{number}".encode()))


@functools.lru_cache(maxsize=4)
def _keyring(sealing_key: str) -> Keyring:
    return Keyring(sealing_key)


def keyring(settings: Mapping) -> Keyring:  # type: ignore[type-arg]
    return _keyring(settings["SEALING_KEY"])


# --- the box of a ballot -----------------------------------------------------------------------

def new_box(keys: Keyring, ballot_id: int, salt: bytes,
            trustee_public_keys: Sequence[bytes]) -> tuple[bytes, bytes]:
    """A fresh box: its public key, and its private key wrapped (app layer, then trustees)."""
    box = PrivateKey.generate()
    wrapped = bytes(keys.ballot_box(ballot_id, salt).encrypt(bytes(box)))
    for public in trustee_public_keys:
        wrapped = SealedBox(PublicKey(public)).encrypt(wrapped)
    return bytes(box.public_key), wrapped


def open_box(keys: Keyring, ballot_id: int, salt: bytes, wrapped: bytes,
             trustee_keys: Sequence[PrivateKey]) -> SealedBox:
    """Unwrap the box's private key (trustees' layers outermost first) and return its opener."""
    for key in reversed(trustee_keys):
        wrapped = SealedBox(key).decrypt(wrapped)
    return SealedBox(PrivateKey(keys.ballot_box(ballot_id, salt).decrypt(wrapped)))


def seal(box_public_key: bytes, plaintext: bytes) -> bytes:
    return SealedBox(PublicKey(box_public_key)).encrypt(plaintext)


# --- what is sealed: one bitmask per item, the same length for every voter of a ballot ----------

def widths(option_counts: Sequence[int]) -> list[int]:
    return [max(1, (count + 7) // 8) for count in option_counts]


def _mask(chosen: Sequence[int], width: int) -> bytes:
    bits = 0
    for option in chosen:
        bits |= 1 << (option - 1)
    return bits.to_bytes(width, "little")


def _unmask(data: bytes) -> list[int]:
    bits = int.from_bytes(data, "little")
    return [n + 1 for n in range(len(data) * 8) if bits >> n & 1]


def encode(option_counts: Sequence[int], picks: Mapping[str, Sequence[int]],
           pending: Sequence[int] = ()) -> bytes:
    """The picks by item number ("1", "2", ...; unanswered items empty), and for a draft the
    pending answer of the current item, in one fixed length for the ballot."""
    sizes = widths(option_counts)
    parts = [bytes([FORMAT])]
    parts += [_mask(picks.get(str(n), ()), width) for n, width in enumerate(sizes, start=1)]
    parts.append(_mask(pending, max(sizes)))
    return b"".join(parts)


def decode(option_counts: Sequence[int], data: bytes) -> tuple[dict[str, list[int]], list[int]]:
    """The inverse of `encode`; ValueError for anything that is not such a plaintext."""
    sizes = widths(option_counts)
    if len(data) != 1 + sum(sizes) + max(sizes) or data[0] != FORMAT:
        raise ValueError("not a plaintext of this ballot")
    picks, at = {}, 1
    for n, width in enumerate(sizes, start=1):
        chosen = _unmask(data[at:at + width])
        if chosen:
            picks[str(n)] = chosen
        at += width
    return picks, _unmask(data[at:])


# --- drafts --------------------------------------------------------------------------------------

def seal_draft(keys: Keyring, plaintext: bytes) -> str:
    return base64.b64encode(bytes(keys.drafts().encrypt(plaintext))).decode()


def open_draft(keys: Keyring, token: object) -> bytes | None:
    if not isinstance(token, str):
        return None
    try:
        return keys.drafts().decrypt(base64.b64decode(token, validate=True))
    except (ValueError, CryptoError):
        return None
