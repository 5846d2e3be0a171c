"""BIP32 keystores: public key derivation."""
from electrum.bip32 import BIP32Node


class Xpub:
    def __init__(self, xpub):
        self.xpub = xpub
        self._node = BIP32Node.from_xkey(xpub)
        self._xpub_receive = None
        self._xpub_change = None
        self._derived_pubkeys = {}  # (for_change, n) -> pubkey bytes

    def _branch_node(self, for_change):
        if for_change:
            if self._xpub_change is None:
                self._xpub_change = self._node.subkey_at_public_derivation([1])
            return self._xpub_change
        if self._xpub_receive is None:
            self._xpub_receive = self._node.subkey_at_public_derivation([0])
        return self._xpub_receive

    def derive_pubkey(self, for_change: int, n: int) -> bytes:
        key = (bool(for_change), n)
        pubkey = self._derived_pubkeys.get(key)
        if pubkey is None:
            node = self._branch_node(key[0])
            pubkey = node.subkey_at_public_derivation([n]).eckey.get_public_key_bytes(compressed=True)
            self._derived_pubkeys[key] = pubkey
        return pubkey

    def get_addresses(self, for_change, count):
        return [self.derive_pubkey(for_change, i).hex() for i in range(count)]
