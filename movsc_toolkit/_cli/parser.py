"""The argument parser in French: argparse's messages translated, help formatted."""

from __future__ import annotations

import argparse
import re
import sys
from typing import NoReturn

CAPABILITIES = {
    "prise_en_main": "prise en main",
    "enquete": "enquête",
    "lexicometrie": "lexicométrie",
    "finances": "finances",
    "pilotage": "pilotage",
}

# --------------------------------------------------------------------------- argparse in French

_ARGPARSE_MESSAGES = [
    (r"the following arguments are required: (.*)", r"arguments obligatoires manquants : \1"),
    (r"unrecognized arguments: (.*)", r"arguments non reconnus : \1"),
    (
        r"argument (.+?): invalid choice: '?(.*?)'? \(choose from (.*)\)",
        r"argument \1 : « \2 » n'est pas un choix possible (choix : \3)",
    ),
    (
        r"argument (.+?): invalid int value: '?(.*?)'?$",
        r"argument \1 : « \2 » n'est pas un nombre entier",
    ),
    (
        r"argument (.+?): invalid (\w+) value: '?(.*?)'?$",
        r"argument \1 : la valeur « \3 » n'est pas valide",
    ),
    (r"argument (.+?): expected one argument", r"argument \1 : une valeur est attendue"),
    (r"argument (.+?): expected .*", r"argument \1 : nombre de valeurs incorrect"),
    (r"ambiguous option: (.*) could match (.*)", r"option ambiguë : \1 peut désigner \2"),
]


def translate(message: str) -> str:
    for pattern, replacement in _ARGPARSE_MESSAGES:
        if re.fullmatch(pattern, message):
            return re.sub(pattern, replacement, message)
    return message


class Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None) -> None:
        # subparsers' names are built with prefix="": keep it
        super().add_usage(usage, actions, groups, "Utilisation : " if prefix is None else prefix)


class Parser(argparse.ArgumentParser):
    """An ``ArgumentParser`` speaking French (titles, help option, error messages)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", Formatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "arguments"
        self._optionals.title = "options"
        self.add_argument("-h", "--help", action="help", help="afficher cette aide et quitter")

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog} : erreur : {translate(message)}\n")
