"""The synced entities are declared once (hms_protocol) and the laptop's store agrees with them."""

from hms_desktop.data.outbox import OutboxState
from hms_desktop.data.sync_store import ENTITY_MODELS
from hms_protocol import ENTITIES, PUSHED_ENTITIES

# Bookkeeping of the local copy, and pupil.search_key (derived on the laptop for searching).
LOCAL_ONLY = {"server_version", "updated_at", "search_key"}
CENTRAL_ONLY = {"cover"}  # the laptop learns of cover and resends its marks; it keeps no table
PUSH_ONLY = {"audit_entry"}  # the laptop's own trail goes to central and never comes back


def test_every_synced_entity_has_one_schema_matching_the_laptops_table():
    assert set(ENTITY_MODELS) == set(ENTITIES) - CENTRAL_ONLY - PUSH_ONLY
    for name, model in ENTITY_MODELS.items():
        columns = {c.key for c in model.__table__.columns} - LOCAL_ONLY
        assert set(ENTITIES[name].schema.model_fields) == columns, name


def test_the_laptop_pushes_exactly_the_entities_it_writes():
    writes = {n for n, m in ENTITY_MODELS.items() if hasattr(m, "__sync_entity__")}
    assert writes == set(PUSHED_ENTITIES) - PUSH_ONLY


def test_an_audit_entry_travels_as_the_laptops_trail_holds_it():
    from hms_desktop.data.models import AuditEntry

    columns = {c.key for c in AuditEntry.__table__.columns} - {"seq", "uid"} | {"id"}
    assert set(ENTITIES["audit_entry"].schema.model_fields) - {"deleted_at"} == columns


def test_outbox_states_are_named_once():
    assert {s.value for s in OutboxState} >= {"pending", "batched", "applied", "rejected"}
