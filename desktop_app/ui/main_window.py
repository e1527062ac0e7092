"""The main window; until the wizard lands it shows the loaded protocol and its criteria."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QMainWindow,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app import __version__
from desktop_app.rules import LoadedProtocol
from desktop_app.store import Store, get_site, sqlite_library_version
from desktop_app.store.log import status_counts


class MainWindow(QMainWindow):
    def __init__(self, loaded: LoadedProtocol, store: Store) -> None:
        super().__init__()
        self.store = store
        meta = loaded.protocol.metadata
        self.setWindowTitle(self.tr("Eligo – {0}").format(meta.registry_id))
        quit_action = QAction(self.tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        self.menuBar().addMenu(self.tr("&File")).addAction(quit_action)
        self.resize(960, 640)

        self.title_label = QLabel(meta.title["en"])
        self.title_label.setObjectName("protocolTitle")
        font = self.title_label.font()
        font.setPointSize(font.pointSize() + 6)
        font.setBold(True)
        self.title_label.setFont(font)
        self.title_label.setWordWrap(True)

        facts = QFormLayout()
        self.registry_label = QLabel(f"{meta.registry_id} ({meta.registry})")
        self.version_label = QLabel(meta.protocol_version)
        self.sha_label = QLabel(loaded.sha256)
        self.sha_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        facts.addRow(self.tr("Registry id:"), self.registry_label)
        facts.addRow(self.tr("Sponsor:"), QLabel(meta.sponsor))
        facts.addRow(self.tr("Phase:"), QLabel(f"{meta.phase}; {meta.design['en']}"))
        facts.addRow(self.tr("Protocol version:"), self.version_label)
        facts.addRow(self.tr("Protocol sha256:"), self.sha_label)
        facts.addRow(self.tr("Registered end date:"), QLabel(meta.registered_end_date.isoformat()))

        self.criteria_tree = QTreeWidget()
        self.criteria_tree.setHeaderLabels([self.tr("Criterion"), self.tr("Registry wording")])
        self.criteria_tree.setRootIsDecorated(False)
        self.criteria_tree.setWordWrap(True)
        for c in loaded.protocol.criteria:
            item = QTreeWidgetItem([f"{c.id}  {c.label['en']}", c.registry_text["en"]])
            item.setToolTip(1, c.registry_text["en"])
            self.criteria_tree.addTopLevelItem(item)
        self.criteria_tree.setColumnWidth(0, 380)

        layout = QVBoxLayout()
        layout.addWidget(self.title_label)
        layout.addLayout(facts)
        layout.addWidget(QLabel(self.tr("Eligibility criteria")))
        layout.addWidget(self.criteria_tree, 1)
        central = QWidget()
        central.setLayout(layout)
        self.setCentralWidget(central)
        site = get_site(store)
        counts = status_counts(store)
        parts = [
            site.name if site else self.tr("no site set up yet"),
            self.tr("{0} screenings").format(sum(counts.values())),
            self.tr("data: {0}").format(store.data_dir),
        ]
        if store.read_only:
            parts.append(self.tr("read-only: another Eligo is writing"))
        parts.append(self.tr("SQLite {0}").format(sqlite_library_version()))
        self.store_label = QLabel(" · ".join(parts))
        if site and site.is_demo:
            self.demo_label = QLabel(self.tr("DEMO – sample data, not real patients"))
            self.demo_label.setStyleSheet(
                "QLabel { background: #b00020; color: white; font-weight: bold; padding: 2px 8px; }"
            )
            self.statusBar().addWidget(self.demo_label)
        self.statusBar().addWidget(self.store_label)
        self.statusBar().addPermanentWidget(
            QLabel(self.tr("Eligo {0} – offline").format(__version__))
        )
