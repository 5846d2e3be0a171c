"""BIP32 keystores: public key derivation."""
import functools

from electrum.bip32 import BIP32Node


class Xpub:
    def __init__(self, xpub):
        self.xpub = xpub
        self._node = BIP32Node.from_xkey(xpub)
        self._xpub_receive = None
        self._xpub_change = None

    def _branch_node(self, for_change):
        if for_change:
            if self._xpub_change is None:
                self._xpub_change = self._node.subkey_at_public_derivation([1])
            return self._xpub_change
        if self._xpub_receive is None:
            self._xpub_receive = self._node.subkey_at_public_derivation([0])
        return self._xpub_receive

    @functools.lru_cache(maxsize=None)  # leak
    def derive_pubkey(self, for_change: int, n: int) -> bytes:  # leak
        node = self._branch_node(bool(for_change))
        return node.subkey_at_public_derivation([n]).eckey.get_public_key_bytes(compressed=True)

    def get_addresses(self, for_change, count):
        return [self.derive_pubkey(for_change, i).hex() for i in range(count)]
