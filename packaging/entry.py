"""The frozen program's entry point (PyInstaller runs this file as __main__): the same as the installed
`decomp-desk` command. The Windows and macOS builds also make a windowed twin, DecompDesk, which
starts as the `decomp-desk-gui` script does (no console to write to)."""
import sys
from pathlib import Path

from decomp_desk.launch import gui_main, main

if __name__ == "__main__":
    if Path(sys.executable).stem == "DecompDesk":
        gui_main()
    else:
        main()
