"""RGPD documents of a qualitative study: the information notice (article 13) and the consent
form, written as .docx.

Reference: Regulation (EU) 2016/679 (RGPD), articles 13 and 7; CNIL, « Recherche
scientifique (hors santé) » fiches (legal basis, consent separate from taking part).
"""

from __future__ import annotations

from collections.abc import Mapping
from os import PathLike
from pathlib import Path
from typing import Any

from .._errors import ValidationError, closest
from .._write import save_docx, xml_text
from ._common import fold, text_of
from ._office import add_paragraph, new_document

__all__ = ["RGPD_FIELDS", "consent_form", "information_notice"]


#: Fields of the information notice and consent form (``*`` = mandatory), with an example.
RGPD_FIELDS = {
    "responsable*": "Université X, 1 rue de l'Université, 75000 Paris (responsable de traitement)",
    "dpo*": "dpo@univ-x.fr (délégué·e à la protection des données)",
    "finalite*": "comprendre ce que le centre social apporte aux habitants (mémoire de master)",
    "base_legale*": "consentement | mission d'intérêt public | intérêt légitime",
    "duree_conservation*": "enregistrements effacés après transcription ; transcriptions "
    "pseudonymisées conservées jusqu'à la soutenance + 1 an",
    "enqueteur*": "Camille Martin, étudiante en master",
    "contact*": "camille.martin@etu.univ-x.fr",
    "titre": "titre de l'étude",
    "encadrant": "nom de la directrice ou du directeur de mémoire",
    "donnees": "données collectées",
    "destinataires": "qui a accès aux données",
    "transferts": "transferts hors Union européenne (« aucun » par défaut)",
    "date_retrait": "date limite pour retirer sa participation",
}


_BASES = {
    "consentement": "votre consentement (article 6.1.a du RGPD), que vous pouvez retirer à tout "
    "moment",
    "mission d'interet public": "l'exécution d'une mission d'intérêt public de recherche "
    "(article 6.1.e du RGPD)",
    "interet legitime": "l'intérêt légitime du responsable de traitement à mener des "
    "recherches (article 6.1.f du RGPD)",
}


def _fields(fields: Mapping[str, Any], document: str) -> dict[str, str]:
    clean = {fold(k).replace(" ", "_"): text_of(v) for k, v in fields.items()}
    known = {k.rstrip("*") for k in RGPD_FIELDS}
    unknown = [k for k in clean if k not in known]
    if unknown:
        near = closest(unknown[0], sorted(known))
        raise ValidationError(
            f"champ inconnu « {unknown[0]} » pour {document}.",
            hint=(f"vouliez-vous dire « {near[0]} » ? " if near else "")
            + "champs possibles : "
            + ", ".join(sorted(known))
            + ".",
        )
    missing = [
        k.rstrip("*") for k in RGPD_FIELDS if k.endswith("*") and not clean.get(k.rstrip("*"))
    ]
    if missing:
        raise ValidationError(
            f"mentions obligatoires manquantes pour {document} : "
            + ", ".join(f"« {m} »" for m in missing)
            + ".",
            hint="ces mentions sont exigées par l'article 13 du RGPD (voir RGPD_FIELDS pour un "
            "exemple de chacune).",
        )
    base = fold(clean["base_legale"])
    matched = next((v for k, v in _BASES.items() if fold(k) in base), None)
    if matched is None:
        raise ValidationError(
            f"base légale « {clean['base_legale']} » non reconnue.",
            hint="choisissez « consentement », « mission d'intérêt public » (université "
            "publique) ou « intérêt légitime ».",
        )
    clean["base_texte"] = matched
    clean["consent_based"] = "1" if fold("consentement") in base else ""
    clean.setdefault("titre", "")
    clean["titre"] = clean["titre"] or "Étude par entretiens"
    clean["transferts"] = clean.get("transferts") or "aucun transfert hors de l'Union européenne"
    clean["donnees"] = clean.get("donnees") or (
        "l'enregistrement audio de l'entretien, sa transcription et quelques informations "
        "générales vous concernant (tranche d'âge, statut), sans nom ni adresse"
    )
    clean["destinataires"] = clean.get("destinataires") or (
        clean["enqueteur"]
        + (f" et {clean['encadrant']}" if clean.get("encadrant") else "")
        + " ; le jury ne lit que des extraits pseudonymisés"
    )
    return clean


def information_notice(path: str | PathLike[str], **fields: Any) -> Path:
    """Write the RGPD information notice (article 13) for interviewees, in French (.docx).

    Mandatory fields (see :data:`RGPD_FIELDS`): ``responsable``, ``dpo``, ``finalite``,
    ``base_legale``, ``duree_conservation``, ``enqueteur``, ``contact``. The notice states the
    controller, the DPO, the purpose, the legal basis, the data, the recipients, transfers,
    retention, the rights and how to use them, the right to complain to the CNIL, and that
    taking part is voluntary.

    Parameters
    ----------
    path
        The ``.docx`` file to write.
    **fields
        The mentions of :data:`RGPD_FIELDS` (those ending in ``*`` are required).

    Returns
    -------
    pathlib.Path
        The notice written.

    References
    ----------
    Regulation (EU) 2016/679 (RGPD), article 13 (information to be provided) and article 7
    (conditions for consent); CNIL, *Guide pratique RGPD des chercheurs*.
    ``tests/qualitative/test_qualitative.py::test_information_notice_and_consent``.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from movsc_toolkit import qualitative as quali
    >>> champs = {k.rstrip("*"): v for k, v in quali.RGPD_FIELDS.items() if k.endswith("*")}
    >>> dossier = Path(tempfile.mkdtemp())
    >>> quali.information_notice(dossier / "notice.docx", titre="Le centre social", **champs).name
    'notice.docx'
    """
    f = _fields(fields, "la notice d'information")
    doc = new_document(f"Notice d'information — {f['titre']}")
    items = [
        (
            "Qui réalise l'étude ? ",
            f"{f['enqueteur']}"
            + (f", sous la direction de {f['encadrant']}" if f.get("encadrant") else "")
            + f". Contact : {f['contact']}.",
        ),
        ("Responsable du traitement : ", f"{f['responsable']}."),
        ("Délégué·e à la protection des données (DPO) : ", f"{f['dpo']}."),
        (
            "Pourquoi ? (finalité) ",
            f"{f['finalite']}. Aucune décision vous concernant ne sera "
            "prise à partir de l'entretien.",
        ),
        ("Sur quelle base légale ? ", f"{f['base_texte']}."),
        (
            "Quelles données ? ",
            f"{f['donnees']}. Les noms de personnes et de lieux sont remplacés "
            "par des pseudonymes dans les transcriptions (données pseudonymisées, qui restent des "
            "données personnelles).",
        ),
        ("Qui y a accès ? ", f"{f['destinataires']}."),
        ("Transferts hors de l'Union européenne : ", f"{f['transferts']}."),
        ("Combien de temps ? (durée de conservation) ", f"{f['duree_conservation']}."),
        (
            "Vos droits : ",
            "vous pouvez accéder à vos données, les faire rectifier ou effacer, "
            "demander la limitation du traitement ou vous y opposer"
            + (", et retirer votre consentement à tout moment" if f["consent_based"] else "")
            + f". Pour exercer ces droits, écrivez à {f['contact']} ou au DPO ({f['dpo']}) ; une "
            "réponse vous sera donnée dans un délai d'un mois.",
        ),
        (
            "Réclamation : ",
            "si vous estimez que vos droits ne sont pas respectés, vous pouvez "
            "adresser une réclamation à la CNIL (www.cnil.fr, formulaire de plainte en ligne, ou "
            "CNIL, 3 place de Fontenoy, TSA 80715, 75334 Paris Cedex 07).",
        ),
        (
            "Participation : ",
            "votre participation est volontaire ; la refuser ou l'arrêter "
            "n'a aucune conséquence pour vous."
            + (
                f" Vous pouvez retirer votre participation jusqu'au {f['date_retrait']}."
                if f.get("date_retrait")
                else ""
            ),
        ),
    ]
    for prefix, text in items:
        add_paragraph(doc, text, bold_prefix=prefix)
    add_paragraph(doc, "Un exemplaire de cette notice vous est remis.")
    return save_docx(doc, path, what="la notice d'information")


def consent_form(path: str | PathLike[str], **fields: Any) -> Path:
    """Write the consent form for a recorded interview, in French (.docx).

    Same fields as :func:`information_notice`. Separate unticked boxes (CNIL): taking part,
    audio recording, quoting pseudonymised excerpts, archiving for other research (optional);
    the right to stop and withdraw; storage and destruction of the recording; signatures.

    Parameters
    ----------
    path
        The ``.docx`` file to write.
    **fields
        The mentions of :data:`RGPD_FIELDS` (those ending in ``*`` are required).

    Returns
    -------
    pathlib.Path
        The form written.

    References
    ----------
    Regulation (EU) 2016/679 (RGPD), article 13 (information to be provided) and article 7
    (conditions for consent); CNIL, *Guide pratique RGPD des chercheurs*.
    ``tests/qualitative/test_qualitative.py::test_information_notice_and_consent``.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from movsc_toolkit import qualitative as quali
    >>> champs = {k.rstrip("*"): v for k, v in quali.RGPD_FIELDS.items() if k.endswith("*")}
    >>> dossier = Path(tempfile.mkdtemp())
    >>> quali.consent_form(dossier / "consentement.docx", titre="Le centre social", **champs).name
    'consentement.docx'
    """
    f = _fields(fields, "le formulaire de consentement")
    doc = new_document(f"Formulaire de consentement — {f['titre']}")
    add_paragraph(
        doc,
        f"Étude menée par {f['enqueteur']} ({f['contact']}) ; responsable du traitement : "
        f"{f['responsable']} ; DPO : {f['dpo']}.",
    )
    add_paragraph(
        doc,
        "J'ai lu la notice d'information qui m'a été remise et j'ai pu poser mes "
        "questions. Je coche les cases qui correspondent à mon choix :",
    )
    boxes = [
        "J'accepte de participer à l'entretien.",
        "J'accepte que l'entretien soit enregistré (audio).",
        "J'accepte que des extraits pseudonymisés de mes propos soient cités dans le mémoire "
        "et ses présentations.",
        "(Facultatif) J'accepte que la transcription pseudonymisée soit conservée pour "
        "d'autres recherches.",
    ]
    if f["consent_based"]:
        boxes.insert(
            1,
            "J'accepte le traitement de mes données personnelles décrit dans la "
            "notice (base légale : consentement).",
        )
    for text in boxes:
        add_paragraph(doc, "☐ Oui   ☐ Non   " + text)
    add_paragraph(
        doc,
        "Je peux interrompre l'entretien ou l'enregistrement à tout moment, sans avoir à "
        "me justifier, et retirer ma participation ensuite"
        + (f" jusqu'au {f['date_retrait']}" if f.get("date_retrait") else "")
        + f" en écrivant à {f['contact']}.",
    )
    add_paragraph(
        doc,
        f"L'enregistrement est conservé sur un espace de stockage sécurisé de "
        f"l'établissement, écouté seulement par {f['enqueteur']}"
        + (f" et {f['encadrant']}" if f.get("encadrant") else "")
        + f" ; durée de conservation : {f['duree_conservation']}.",
    )
    add_paragraph(doc, "Fait en deux exemplaires, un pour chaque signataire.")
    table = doc.add_table(rows=4, cols=2)
    table.style = "Table Grid"
    labels = [
        ("Participant·e", "Enquêteur·rice"),
        ("Nom :", f"Nom : {f['enqueteur']}"),
        ("Date :", "Date :"),
        ("Signature :", "Signature :"),
    ]
    for r, (left, right) in enumerate(labels):
        table.cell(r, 0).text = xml_text(left)
        table.cell(r, 1).text = xml_text(right)
    return save_docx(doc, path, what="le formulaire de consentement")
