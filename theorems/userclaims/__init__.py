"""A user's own claim, stated in a file and checked by the engine (``theorems claim FILE``)."""

from .claimfile import ClaimFileError, UserClaim, load_claim, parse_claim

__all__ = ["ClaimFileError", "UserClaim", "load_claim", "parse_claim"]
