"""A spreadsheet like the ones counsellors keep: Excel's BOM and `;`, dd/mm/yyyy beside other
date styles, names in several scripts, Belgian and Dutch phone numbers, and mistakes."""

from __future__ import annotations


def belgian_number(born: str, sequence: int) -> str:
    """A national register number with correct check digits; `born` as yymmdd."""
    base = f"{born}{sequence:03d}"
    prefix = "2" if born.startswith("0") else ""  # born in 2000 or later
    check = 97 - int(prefix + base) % 97
    return f"{base}{check:02d}"


def with_wrong_check(number: str) -> str:
    return number[:-2] + f"{(int(number[-2:]) + 1) % 100:02d}"


HEADER = ["Voornaam", "Achternaam", "Geboortedatum", "Rijksregisternummer", "GSM", "E-mail",
          "Straat", "Postcode", "Gemeente", "Taal", "Opmerking"]  # fmt: skip
GOOD_LINES = [2, 3, 4, 5, 13]
REJECTED = {  # line: the column the reason is about ("" for the row as a whole)
    6: "Rijksregisternummer", 7: "Rijksregisternummer", 8: "E-mail", 9: "Geboortedatum",
    10: "Voornaam", 11: "Geboortedatum", 12: "",
}  # fmt: skip


def rows() -> list[list[str]]:
    return [
        ["نور", "العمراني", "14/03/1990", belgian_number("900314", 45), "0470 12 34 56",
         "nour@example.be", "Kerkstraat 5; achterhuis", "9000", "Gent", "Arabisch", ""],
        ["Łukasz", "Wiśniewski", "02/11/1985", "", "+32 470 98 76 54", "lukasz@example.be",
         "", "2000", "Antwerpen", "pl", "spreekt ook Duits"],
        ["Наталія", "Олійник", "21-06-1979", "", "06 12345678", "natalia@example.nl", "",
         "3011 AB", "Rotterdam", "uk", ""],
        ["Sébastien", "Dubois-Lefèvre", "1988-01-05", "", "0477/12.34.56", "seb@example.be",
         "", "4000", "Liège", "Frans", ""],
        ["Ayşe", "Yılmaz", "07/09/1995", with_wrong_check(belgian_number("950907", 12)),
         "0486 11 22 33", "ayse@example.be", "", "9000", "Gent", "tr", ""],
        ["Mohamed", "Diallo", "12/12/1992", with_wrong_check(belgian_number("921212", 301)),
         "0488 44 55 66", "", "", "1000", "Brussel", "fr", ""],
        ["Jan", "Peeters", "03/03/1970", "", "0499 00 11 22", "jan.peeters@@example", "",
         "2800", "Mechelen", "nl", ""],
        ["Fatima", "Zahra", "31/02/1991", "", "0470 22 33 44", "", "", "9000", "Gent", "ar", ""],
        ["", "De Smet", "01/01/1980", "", "", "", "", "9000", "Gent", "nl", "voornaam ontbreekt"],
        ["Amina", "Bakari", "05/05/2031", "", "", "", "", "9000", "Gent", "sw", ""],
        ["LUKASZ", "Wisniewski", "02/11/1985", "", "", "", "", "2000", "Antwerpen", "pl",
         "tweede keer ingevoerd"],
        ["Eva", "Janssens", "15/08/2000", belgian_number("000815", 123), "0470 55 66 77",
         "eva@example.be", "", "3500", "Hasselt", "nl", ""],
    ]  # fmt: skip


def counsellor_sheet(encoding: str = "utf-8-sig", delimiter: str = ";") -> bytes:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows())
    return out.getvalue().encode(encoding)
