"""Magento's `uid` as the graph uses it; the codec is in the engine, where imports read uids too."""

from engine.uids import decode_uid, encode_uid

__all__ = ["decode_uid", "encode_uid"]
