"""The floor of bench_bundle.py: the least a frozen main window showing store data needs under
STYLE.md (the store's functions take a sqlite-utils Database and return pydantic models): the
minimal application plus those two libraries, one model built from one query on the store given
as argument. Prints "shown" and exits once its window is on screen."""

import os
import sys

import pydantic
import sqlite_utils
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow


class Count(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(frozen=True, extra="forbid")
    determination: str
    count: int


app = QApplication(sys.argv[:1])
if len(sys.argv) > 2:  # the encrypted store, with its data key in hex (as a slot gives it)
    from sqlcipher3 import dbapi2

    connection = dbapi2.connect(sys.argv[1])
    connection.execute(f"PRAGMA key = \"x'{sys.argv[2]}'\"")
    db = sqlite_utils.Database(connection)
else:
    db = sqlite_utils.Database(sys.argv[1])
query = "SELECT determination, count(*) FROM screenings GROUP BY determination"
counts = [Count(determination=d, count=n) for d, n in db.execute(query)]
label = QLabel(" ".join(f"{c.determination} {c.count}" for c in counts))
label.setAlignment(Qt.AlignmentFlag.AlignCenter)
window = QMainWindow()
window.setWindowTitle("Floor")
window.setCentralWidget(label)
window.show()
QTimer.singleShot(0, lambda: (print("shown", flush=True), os._exit(0)))
sys.exit(app.exec())
