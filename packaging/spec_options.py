"""PyInstaller options shared by build.spec and the benchmark's minimal Qt application
(bench/minimal.spec), so that the size and start-time budgets compare like with like."""

from __future__ import annotations

from typing import Any

# Qt modules Eligo never imports; excluded so that no hook pulls them (or their plugins) in.
# fmt: off
QT_EXCLUDES = [
    "PySide6.Qt3DAnimation", "PySide6.Qt3DCore", "PySide6.Qt3DExtras", "PySide6.Qt3DInput",
    "PySide6.Qt3DLogic", "PySide6.Qt3DRender",  # 3D scenes
    "PySide6.QtBluetooth", "PySide6.QtNfc", "PySide6.QtSerialPort", "PySide6.QtSerialBus",
    "PySide6.QtSensors", "PySide6.QtPositioning", "PySide6.QtLocation",  # devices
    "PySide6.QtCharts", "PySide6.QtDataVisualization", "PySide6.QtGraphs", "PySide6.QtGraphsWidgets",  # charts
    "PySide6.QtConcurrent", "PySide6.QtStateMachine", "PySide6.QtScxml", "PySide6.QtRemoteObjects",
    "PySide6.QtDBus",  # no desktop bus messages
    "PySide6.QtDesigner", "PySide6.QtHelp", "PySide6.QtUiTools", "PySide6.QtTest",  # tooling
    "PySide6.QtMultimedia", "PySide6.QtMultimediaWidgets", "PySide6.QtSpatialAudio",
    "PySide6.QtTextToSpeech",  # sound and video
    "PySide6.QtNetwork", "PySide6.QtNetworkAuth", "PySide6.QtWebSockets", "PySide6.QtHttpServer",
    "PySide6.QtWebChannel", "PySide6.QtWebEngineCore", "PySide6.QtWebEngineWidgets",
    "PySide6.QtWebEngineQuick", "PySide6.QtWebView",  # Eligo never opens a network connection
    "PySide6.QtOpenGL", "PySide6.QtOpenGLWidgets",  # plain widgets, no GL views
    # QtPdf and QtPdfWidgets are kept: the attachment viewer shows scanned PDFs with them.
    "PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtQuick3D", "PySide6.QtQuickControls2",
    "PySide6.QtQuickWidgets",  # no QML
    "PySide6.QtSql",  # SQLite through Python's sqlite3 and sqlite-utils
    "PySide6.QtSvgWidgets", "PySide6.QtXml",  # the SVG icon needs QtSvg only
]
# Python modules the application does not need at run time (tests and development tools).
PYTHON_EXCLUDES = [
    "tkinter", "unittest", "pydoc", "pytest", "_pytest", "hypothesis", "mypy", "ruff",
    "importlinter", "pypdf", "fhir", "odmlib", "xmlschema", "IPython",
]
# fmt: on
EXCLUDES = QT_EXCLUDES + PYTHON_EXCLUDES
# Binaries the PySide6 hooks collect from the Addons wheel (installed for QtPdf) that Eligo never
# loads: the virtual keyboard input-context plugin, which drags in QML and Qt Quick (about 20 MB),
# and the image-format plugin that reads PDFs as images (the viewer uses QtPdf itself).
UNUSED_BINARIES = (
    "libqtvirtualkeyboardplugin",
    "libQt6VirtualKeyboard",
    "libQt6Qml",
    "libQt6Quick",
    "imageformats/libqpdf",
)


def needed(entries: list[Any]) -> list[Any]:
    """Analysis binaries (or datas, which hold their top-level symlinks) without UNUSED_BINARIES
    (matched in the destination path)."""
    return [
        b
        for b in entries
        if not any(name in str(b[0]).replace("\\", "/") for name in UNUSED_BINARIES)
    ]


# One folder, windowed, no UPX (it trips virus scanners and slows the start).
EXE_OPTIONS = {"console": False, "upx": False, "strip": False, "debug": False}
