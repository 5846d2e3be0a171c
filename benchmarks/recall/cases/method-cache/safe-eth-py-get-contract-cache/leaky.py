"""Wrapper around a deployed Safe multisig contract."""
from functools import cache

from web3 import Web3

from .abis import SAFE_ABI


class Safe:
    def __init__(self, address: str, ethereum_client):
        assert Web3.is_checksum_address(address), "%s is not a valid address" % address
        self.address = address
        self.ethereum_client = ethereum_client
        self.w3 = ethereum_client.w3

    @cache  # leak
    def get_contract(self):  # leak
        return self.w3.eth.contract(self.address, abi=SAFE_ABI)

    def retrieve_owners(self, block_identifier="latest"):
        return self.get_contract().functions.getOwners().call(block_identifier=block_identifier)

    def retrieve_threshold(self, block_identifier="latest"):
        return self.get_contract().functions.getThreshold().call(block_identifier=block_identifier)


def safe_info(address, ethereum_client):
    """Called by the transaction service for every incoming request."""
    safe = Safe(address, ethereum_client)
    return {"owners": safe.retrieve_owners(), "threshold": safe.retrieve_threshold()}
