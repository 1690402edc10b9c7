"""The invitation code and its URL encoding, as Magento's `getInvitationCode` and
`Url\\Encoder::encode` (`strtr(base64_encode($s), '+/=', '-_~')`)."""

from __future__ import annotations

import pytest

from engine.invitations import codes
from engine.invitations.codes import ParsedCode


def test_code_is_id_colon_protection_code() -> None:
    assert codes.invitation_code(7, "0123456789abcdef0123456789abcdef") == (
        "7:0123456789abcdef0123456789abcdef"
    )


def test_url_encoding_replaces_plus_slash_and_padding() -> None:
    # base64("7:ab") = "NzphYg==": the padding "=" becomes "~".
    assert codes.url_encode("7:ab") == "NzphYg~~"
    # base64("12:??>") = "MTI6Pz8+" and base64("12:???") = "MTI6Pz8/": "+" → "-", "/" → "_".
    assert codes.url_encode("12:??>") == "MTI6Pz8-"
    assert codes.url_encode("12:???") == "MTI6Pz8_"
    # base64("1:>>>") = "MTo+Pj4=": all three at once.
    assert codes.url_encode("1:>>>") == "MTo-Pj4~"


def test_url_decode_reverses_encode() -> None:
    for text in ("7:ab", "12:??>", "12:???", "1:" + "f" * 32):
        assert codes.url_decode(codes.url_encode(text)) == text
    assert codes.url_decode("not base64!") is None


def test_url_is_the_store_base_and_the_encoded_code() -> None:
    url = codes.invitation_url("https://shop.example.com", 3, "a" * 32)
    assert url == (
        "https://shop.example.com/invitation/customer_account/create/invitation/"
        + codes.url_encode("3:" + "a" * 32)
        + "/"
    )
    # base64 of the 34-byte code ends in "YQ==", so the key ends in "YQ~~".
    assert codes.url_encode("3:" + "a" * 32) == "MzphYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYQ~~"


@pytest.mark.parametrize(
    ("given", "parsed"),
    [
        ("7:abc", ParsedCode(7, "abc")),
        # Split on the first colon only, as `explode(':', $code, 2)`.
        ("7:a:b", ParsedCode(7, "a:b")),
        # The form the e-mail's link carries.
        (codes.url_encode("7:abc"), ParsedCode(7, "abc")),
        ("7", None),
        ("7:", None),
        ("x:abc", None),
        ("-1:abc", None),
        (":abc", None),
        ("99999999999999999999:abc", None),
        ("", None),
    ],
)
def test_parse_code(given: str, parsed: ParsedCode | None) -> None:
    assert codes.parse_code(given) == parsed


def test_protection_codes_are_32_hex_characters_and_differ() -> None:
    first, second = codes.new_protection_code(), codes.new_protection_code()
    assert len(first) == 32
    assert set(first) <= set("0123456789abcdef")
    assert first != second
