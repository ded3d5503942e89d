"""The hash chain across the exchange (issue 17): a Gemeinde's export carries its anchor and an
Ed25519 signature with a key its Datenbestand created; the Kreis keeps, per Gemeinde, the key and
the chain head of the last file it took over, and refuses a newer file that does not extend it
(records already taken over changed or missing, an older chain) or that is signed by another key
unless the clerk confirms the key change."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from ..db import chain as chain_db
from ..db.failures import StorageError
from ..db.profile import get_setting, set_setting
from ..exchange import document as doc
from ..exchange import signature
from .base import WorkspaceBase

SIGNING_KEY = "exchange_signing_key"  # the Datenbestand's own private key (hex), never exported
GEMEINDE_CHAINS = "gemeinde_chains"  # Kreis: AGS → {"public_key", "seq", "link", "anchor", "file"}
_SHOWN = 8
KEY_CHANGE = "anderer Schlüssel"  # the refusal's reason in a few words: the window asks to confirm


class ExchangeChainUseCases(WorkspaceBase):
    def chain_seal(self, *, create: bool = True) -> doc.ChainSeal | None:
        """The anchor and signer for an export; the key is created on the first export
        (``create``). A read-only file without a key yet exports unsigned (None)."""
        if not chain_db.present(self.store):
            return None
        private = get_setting(self.store, SIGNING_KEY)
        if not private:
            if self.read_only or not create:
                return None
            private = signature.new_private_key()
            try:
                with self._action("Signaturschlüssel für Austauschdateien angelegt") as act:
                    set_setting(self.store, SIGNING_KEY, private)
                    act.audit("settings", None, None, {"öffentlicher Schlüssel": signature.public_key_of(private)})
            except StorageError as err:
                if err.kind != "readonly":
                    raise
                return None  # a file that refuses writes exports unsigned (it cannot keep a key)
        seq, link = chain_db.head(self.store)
        return doc.ChainSeal(anchor=chain_db.anchor_code(seq, link), seq=seq, link=link,
                             public_key=signature.public_key_of(private), sign=partial(signature.sign, private))

    def signing_fingerprint(self) -> str:
        """This Datenbestand's public key in short groups (to compare with the Kreis on the phone)."""
        private = get_setting(self.store, SIGNING_KEY)
        return signature.fingerprint(signature.public_key_of(private)) if private else ""

    def known_gemeinde_chains(self) -> dict[str, dict[str, Any]]:
        value = get_setting(self.store, GEMEINDE_CHAINS, {}) or {}
        return value if isinstance(value, dict) else {}

    def _remember_gemeinde_chain(self, act, document: Mapping[str, Any], file_name: str) -> None:
        chain = document.get("chain")
        if not chain:
            return
        known = self.known_gemeinde_chains()
        ags = document["owner"]["ags"]
        old = known.get(ags)
        known[ags] = {"public_key": chain["public_key"], "seq": chain["seq"], "link": chain["link"],
                      "anchor": chain["anchor"], "file": file_name}
        set_setting(self.store, GEMEINDE_CHAINS, known)
        act.audit("settings", None, {GEMEINDE_CHAINS: {ags: old}} if old else None, {GEMEINDE_CHAINS: {ags: known[ags]}})


def chain_refusal(document: Mapping[str, Any], known: Mapping[str, Any] | None, previous: Mapping[str, Any] | None,
                  *, name: str, accept_key_change: bool) -> tuple[str, str] | None:
    """Why the Kreis must refuse ``document`` (German message, reason in a few words), or None.
    ``known``: what the Kreis kept of this Gemeinde's last file; ``previous``: the document of the
    same Gemeinde it replaces (its records must be unchanged in the new one)."""
    chain = document.get("chain")
    if known is None:
        return None
    if chain is None:
        return (f"„{name}“ ist nicht signiert, frühere Dateien dieser Gemeinde waren es (Prüfanker "
                f"{known['anchor']}). Bitte beim Absender eine mit PaktDesk erstellte Datei anfordern.",
                "nicht signiert")
    if chain["public_key"] != known["public_key"] and not accept_key_change:
        return (f"„{name}“ ist mit einem anderen Schlüssel signiert als die bisher übernommenen Dateien dieser "
                f"Gemeinde (bisher {signature.fingerprint(known['public_key'])}, jetzt "
                f"{signature.fingerprint(chain['public_key'])}). Das geschieht, wenn die Gemeinde einen neuen "
                "Datenbestand angelegt hat – oder wenn die Datei nicht aus ihrem Datenbestand stammt. Bitte bei der "
                "Gemeinde nachfragen und den Schlüsselwechsel dann ausdrücklich bestätigen.", KEY_CHANGE)
    if chain["seq"] < known["seq"] or (chain["seq"] == known["seq"] and chain["link"] != known["link"]):
        return (f"„{name}“ hat einen älteren oder anderen Stand der Prüfkette (Anker {chain['anchor']}) als die "
                f"zuletzt übernommene Datei „{known['file']}“ (Anker {known['anchor']}): ihre Daten wurden seither "
                "zurückgesetzt oder verändert.", "Prüfkette nicht fortgesetzt")
    changed = changed_records(previous, document) if previous is not None else []
    if changed:
        shown = "; ".join(changed[:_SHOWN]) + (f" und {len(changed) - _SHOWN} weitere" if len(changed) > _SHOWN else "")
        return (f"„{name}“ setzt die übernommene Datei „{known['file']}“ nicht fort: bereits übernommene "
                f"Datensätze wurden geändert oder fehlen ({shown}).", "übernommene Datensätze geändert")
    return None


def changed_records(previous: Mapping[str, Any], document: Mapping[str, Any]) -> list[str]:
    """The booked money records of ``previous`` that ``document`` no longer holds unchanged."""
    from ..exchange.summary import TABLE_LABELS

    found = []
    for table in doc.AMOUNT_FIELD:
        old = {r.get("id"): r for r in doc.table_records(previous["tables"], table) if isinstance(r, Mapping)}
        new = {r.get("id"): r for r in doc.table_records(document["tables"], table) if isinstance(r, Mapping)}
        for record_id, record in old.items():
            if record_id not in new:
                found.append(f"{TABLE_LABELS.get(table, table)} Nr. {record_id} fehlt")
            elif new[record_id] != record:
                fields = sorted(k for k in set(record) | set(new[record_id]) if record.get(k) != new[record_id].get(k))
                found.append(f"{TABLE_LABELS.get(table, table)} Nr. {record_id}: {', '.join(fields)} geändert")
    return found
