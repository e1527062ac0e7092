"""Reading the audit trail: the events of one screening, for the record's audit view."""

from __future__ import annotations

from desktop_app.store import chain
from desktop_app.store.database import Store
from desktop_app.store.models import AuditEvent
from desktop_app.store.records import get_screening


def events_of_screening(store: Store, screening_id: int) -> list[AuditEvent]:
    screening = get_screening(store, screening_id)
    entity_id = f"{screening.screening_number}/{screening.attempt}"
    # Named columns: the salt of an identifier's digest is not part of what is shown.
    cursor = store.db.execute(
        f"SELECT {', '.join(chain._FIELDS)}, hash FROM audit WHERE (entity = 'screening' AND entity_id = ?) OR (entity = 'signature' AND entity_id IN "
        "(SELECT CAST(id AS TEXT) FROM signatures WHERE screening_id = ?)) ORDER BY seq",
        [entity_id, screening_id],
    )
    names = [d[0] for d in cursor.description]
    return [AuditEvent.model_validate(dict(zip(names, row, strict=True))) for row in cursor]
