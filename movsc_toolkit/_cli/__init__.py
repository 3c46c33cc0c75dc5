"""The ``movsc`` command, one module per group of sub-commands (:mod:`movsc_toolkit.cli` builds
the parser and dispatches): :mod:`.parser` (argparse in French), :mod:`.course` (the student
workspace), :mod:`.lab` (``movsc lab``), :mod:`.commands` (the other sub-commands).
"""
